//! Verifying Liveblocks webhook deliveries and decoding them into typed events.
//!
//! Liveblocks signs every delivery with the secret shown in the dashboard (`whsec_...`). A back
//! end checks the signature over the **raw** request body before trusting anything in it:
//!
//! ```
//! // The same sample as in README.md, compiled here as a doc test.
//! use liveblocks::webhooks::{WebhookEvent, WebhookHandler};
//!
//! # fn handle(headers: &http::HeaderMap, raw_body: &[u8]) -> Result<(), liveblocks::webhooks::WebhookError> {
//! // Old and new secret while rolling it; one secret is `WebhookHandler::new(..)`.
//! let handler = WebhookHandler::with_secrets(&["whsec_bmV3IHNlY3JldA==", "whsec_b2xkIHNlY3JldA=="])?;
//! match handler.verify(headers, raw_body)? {     // the body exactly as received
//!     WebhookEvent::StorageUpdated(data) => println!("{} changed at {}", data.room_id, data.updated_at),
//!     WebhookEvent::Unknown { event_type, .. } => println!("newer than this build: {event_type}"),
//!     other => println!("{}", other.event_type()),
//! }
//! # Ok(()) }
//! ```
//!
//! What is checked, in order (each failure is its own [`WebhookError`] variant):
//!
//! 1. the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers are present (names
//!    compared case-insensitively);
//! 2. the timestamp is Unix seconds written as ASCII digits only, and lies within the tolerance
//!    (300 s by default, inclusive, both ways) of the current time;
//! 3. one of the `v1,<base64>` entries of `webhook-signature` equals
//!    HMAC-SHA256(secret, `"{id}.{timestamp}.{body}"`) for one of the configured secrets,
//!    compared in constant time;
//! 4. only then is the body decoded as JSON into a [`WebhookEvent`].
//!
//! The body is hashed as the exact bytes received; it is never re-serialized. Event types and
//! notification kinds that this build does not know decode to [`WebhookEvent::Unknown`] and
//! [`NotificationEvent::Other`], so a deployed back end keeps accepting deliveries when
//! Liveblocks adds an event. Unknown fields are ignored.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Name of the header carrying the delivery's unique id.
pub const HEADER_ID: &str = "webhook-id";
/// Name of the header carrying the delivery's Unix timestamp in seconds.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Name of the header carrying the space-separated `v1,<base64>` signatures.
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// The tolerance applied when none is configured: 300 seconds either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

const SECRET_PREFIX: &str = "whsec_";
const SIGNATURE_LEN: usize = 32;
/// Length of a padded standard base64 encoding of 32 bytes.
const SIGNATURE_B64_LEN: usize = 44;

type HmacSha256 = Hmac<Sha256>;

const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a webhook delivery (or a secret) was rejected.
///
/// The messages name the failed check only: they never contain a secret, a received signature
/// or a computed one, so they are safe to log. Do not send them back to the caller of your
/// webhook endpoint anyway: a plain 400 is enough.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by non-empty base64 (standard or URL-safe alphabet,
    /// padded or not), or no secret was given.
    #[error("invalid webhook secret: {reason}")]
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: &'static str,
    },
    /// A required header is absent.
    #[error("missing {name} header")]
    MissingHeader {
        /// The header's name, in lowercase.
        name: &'static str,
    },
    /// A required header is present but empty or not valid UTF-8.
    #[error("invalid {name} header")]
    InvalidHeader {
        /// The header's name, in lowercase.
        name: &'static str,
    },
    /// `webhook-timestamp` is not Unix seconds written with ASCII digits only.
    #[error("invalid webhook-timestamp: expected Unix seconds as ASCII digits")]
    InvalidTimestamp,
    /// The timestamp is further in the past than the tolerance allows.
    #[error("webhook timestamp is too old ({age_seconds} s, tolerance {tolerance_seconds} s)")]
    TimestampTooOld {
        /// How many seconds before `now` the delivery claims to have been sent.
        age_seconds: u64,
        /// The configured tolerance in seconds.
        tolerance_seconds: u64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    #[error(
        "webhook timestamp is in the future ({ahead_seconds} s ahead, tolerance {tolerance_seconds} s)"
    )]
    TimestampInFuture {
        /// How many seconds after `now` the timestamp lies.
        ahead_seconds: u64,
        /// The configured tolerance in seconds.
        tolerance_seconds: u64,
    },
    /// No `v1,` entry of `webhook-signature` matches the body under any configured secret: the
    /// secret is wrong, or the id, timestamp or body were changed (a framework that re-encodes
    /// the body, say).
    #[error("no webhook signature matches")]
    NoMatchingSignature,
    /// The signature matched but the body is not JSON, or a known event's data lacks a field or
    /// has one of the wrong type.
    #[error("webhook body is not a valid event: {source}")]
    InvalidJson {
        /// The decoding error (it names a position and an expectation, not the body).
        #[source]
        source: serde_json::Error,
    },
}

/// Verifies webhook deliveries against one or more secrets.
///
/// Build it once (it precomputes the HMAC key state) and share it: it is `Clone`, `Send` and
/// `Sync`. Its `Debug` output shows the number of secrets and the tolerance, never the secrets.
#[derive(Clone)]
pub struct WebhookHandler {
    keys: Vec<HmacSha256>,
    tolerance_seconds: u64,
}

impl fmt::Debug for WebhookHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookHandler")
            .field("secrets", &self.keys.len())
            .field("tolerance_seconds", &self.tolerance_seconds)
            .finish()
    }
}

fn parse_secret(secret: &str) -> Result<HmacSha256, WebhookError> {
    let invalid = |reason| WebhookError::InvalidSecret { reason };
    let encoded = secret
        .strip_prefix(SECRET_PREFIX)
        .ok_or(invalid("it must start with whsec_"))?;
    if encoded.is_empty() {
        return Err(invalid("nothing follows whsec_"));
    }
    let key = STANDARD_ANY_PADDING
        .decode(encoded)
        .or_else(|_| URL_SAFE_ANY_PADDING.decode(encoded))
        .map_err(|_| invalid("the part after whsec_ is not base64"))?;
    if key.is_empty() {
        return Err(invalid("the key is empty"));
    }
    // HMAC accepts keys of any length; this cannot fail.
    HmacSha256::new_from_slice(&key).map_err(|_| invalid("the key is not usable"))
}

impl WebhookHandler {
    /// A handler for one secret, as shown in the dashboard (`whsec_` then base64).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        Self::with_secrets(&[secret])
    }

    /// A handler that accepts a delivery signed with any of `secrets`: keep the old and the new
    /// secret while rolling it (Liveblocks keeps signing with the previous one for 24 hours).
    pub fn with_secrets(secrets: &[&str]) -> Result<Self, WebhookError> {
        if secrets.is_empty() {
            return Err(WebhookError::InvalidSecret {
                reason: "no secret given",
            });
        }
        let keys = secrets
            .iter()
            .map(|secret| parse_secret(secret))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            keys,
            tolerance_seconds: DEFAULT_TOLERANCE.as_secs(),
        })
    }

    /// How far the `webhook-timestamp` may lie from now, either way (inclusive). Default 300 s.
    /// Sub-second parts are ignored.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance_seconds = tolerance.as_secs();
        self
    }

    /// Verifies a delivery against the system clock and decodes its event.
    ///
    /// `headers` is an [`http::HeaderMap`] (axum, hyper, reqwest...) or any collection of
    /// string pairs: see [`WebhookHeaders`]. `raw_body` must be the body exactly as received.
    pub fn verify<H: WebhookHeaders>(
        &self,
        headers: H,
        raw_body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_at(headers, raw_body, unix_now())
    }

    /// Like [`verify`](Self::verify), with the current time given in Unix seconds (for tests,
    /// or replaying stored deliveries).
    pub fn verify_at<H: WebhookHeaders>(
        &self,
        headers: H,
        raw_body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_signature_at(headers, raw_body, now_unix_seconds)?;
        WebhookEvent::decode(raw_body)
    }

    /// Checks headers, timestamp and signature against the system clock without decoding the
    /// body (to decode it with your own types).
    pub fn verify_signature<H: WebhookHeaders>(
        &self,
        headers: H,
        raw_body: &[u8],
    ) -> Result<(), WebhookError> {
        self.verify_signature_at(headers, raw_body, unix_now())
    }

    /// Like [`verify_signature`](Self::verify_signature), with the current time given in Unix
    /// seconds.
    pub fn verify_signature_at<H: WebhookHeaders>(
        &self,
        headers: H,
        raw_body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<(), WebhookError> {
        let id = required_header(&headers, HEADER_ID)?;
        let timestamp = required_header(&headers, HEADER_TIMESTAMP)?;
        let signatures = required_header(&headers, HEADER_SIGNATURE)?;
        let sent_at = parse_timestamp(timestamp)?;
        self.check_window(sent_at, now_unix_seconds)?;
        if self.signature_matches(id.as_bytes(), timestamp.as_bytes(), raw_body, signatures) {
            Ok(())
        } else {
            Err(WebhookError::NoMatchingSignature)
        }
    }

    fn check_window(&self, sent_at: i64, now: i64) -> Result<(), WebhookError> {
        let difference = i128::from(now) - i128::from(sent_at);
        let tolerance = i128::from(self.tolerance_seconds);
        let saturate = |value: i128| u64::try_from(value).unwrap_or(u64::MAX);
        if difference > tolerance {
            Err(WebhookError::TimestampTooOld {
                age_seconds: saturate(difference),
                tolerance_seconds: self.tolerance_seconds,
            })
        } else if -difference > tolerance {
            Err(WebhookError::TimestampInFuture {
                ahead_seconds: saturate(-difference),
                tolerance_seconds: self.tolerance_seconds,
            })
        } else {
            Ok(())
        }
    }

    fn signature_matches(&self, id: &[u8], timestamp: &[u8], body: &[u8], header: &str) -> bool {
        for key in &self.keys {
            let mut mac = key.clone();
            mac.update(id);
            mac.update(b".");
            mac.update(timestamp);
            mac.update(b".");
            mac.update(body);
            let expected = mac.finalize().into_bytes();
            for entry in header.split(' ') {
                let Some(encoded) = entry.strip_prefix("v1,") else {
                    continue;
                };
                if encoded.len() != SIGNATURE_B64_LEN {
                    continue;
                }
                let mut decoded = [0u8; SIGNATURE_B64_LEN];
                match STANDARD.decode_slice(encoded, &mut decoded) {
                    Ok(SIGNATURE_LEN) => {}
                    _ => continue,
                }
                if bool::from(expected.as_slice().ct_eq(&decoded[..SIGNATURE_LEN])) {
                    return true;
                }
            }
        }
        false
    }
}

fn unix_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

fn required_header<'h, H: WebhookHeaders + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<&'h str, WebhookError> {
    let value = headers
        .header_value(name)
        .ok_or(WebhookError::MissingHeader { name })?;
    match std::str::from_utf8(value) {
        Ok(text) if !text.trim().is_empty() => Ok(text),
        _ => Err(WebhookError::InvalidHeader { name }),
    }
}

fn parse_timestamp(text: &str) -> Result<i64, WebhookError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::InvalidTimestamp);
    }
    text.parse::<i64>()
        .map_err(|_| WebhookError::InvalidTimestamp)
}

/// Where [`WebhookHandler::verify`] reads the three `webhook-*` headers from.
///
/// Implemented for [`http::HeaderMap`] and for string-pair collections, by value or by
/// reference: slices, arrays and `Vec`s of `(K, V)` pairs, `HashMap<K, V>` and
/// `BTreeMap<K, V>`, where `K` and `V` are `String`, `&str` or anything else that is
/// `AsRef<str>`. Names match case-insensitively. When a name appears more than once, the first
/// value found is used. From an iterator of pairs, `.collect::<Vec<_>>()` first.
pub trait WebhookHeaders {
    /// The value of the header `name` (given in lowercase ASCII), or `None` if absent.
    fn header_value(&self, name: &str) -> Option<&[u8]>;
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        (**self).header_value(name)
    }
}

impl WebhookHeaders for http::HeaderMap {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

fn find_pair<'a, K, V>(
    pairs: impl IntoIterator<Item = (&'a K, &'a V)>,
    name: &str,
) -> Option<&'a [u8]>
where
    K: AsRef<str> + ?Sized + 'a,
    V: AsRef<str> + ?Sized + 'a,
{
    pairs
        .into_iter()
        .find(|(key, _)| key.as_ref().trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_ref().as_bytes())
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        find_pair(self.iter().map(|(k, v)| (k, v)), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header_value(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header_value(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S: BuildHasher> WebhookHeaders for HashMap<K, V, S> {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        find_pair(self.iter(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for BTreeMap<K, V> {
    fn header_value(&self, name: &str) -> Option<&[u8]> {
        find_pair(self.iter(), name)
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// Declares [`WebhookEvent`] from one table of `Variant(Data) = "wireName"` rows, together with
/// the code that maps between variants and wire names, so the two cannot drift apart
/// (`notification` and unknown types are written out in the macro itself).
macro_rules! webhook_events {
    ($($(#[$doc:meta])* $variant:ident($data:ty) = $name:literal,)*) => {
        /// A verified webhook event: one variant per event type Liveblocks sends.
        ///
        /// Match on it, and keep a `_` arm: new variants may be added, and event types newer than
        /// this build arrive as [`WebhookEvent::Unknown`].
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            $($(#[$doc])* $variant($data),)*
            /// `notification`: a notification is ready to be sent on a channel; split by kind.
            Notification(NotificationEvent),
            /// An event type this build does not know, kept as received.
            Unknown {
                /// The `type` field as sent.
                event_type: String,
                /// The `data` field as sent (`Null` when absent).
                data: serde_json::Value,
            },
        }

        impl WebhookEvent {
            /// The event type's wire name (`storageUpdated`, `notification`...), also for
            /// [`Unknown`](Self::Unknown) events.
            pub fn event_type(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $name,)*
                    Self::Notification(_) => "notification",
                    Self::Unknown { event_type, .. } => event_type,
                }
            }
        }

        #[cfg(feature = "schemars")]
        impl WebhookEvent {
            /// (wire name, schema of `data`) of every known event type but `notification`.
            pub(crate) fn data_schemas(
                generator: &mut schemars::SchemaGenerator,
            ) -> Vec<(&'static str, schemars::Schema)> {
                vec![$(($name, generator.subschema_for::<$data>()),)*]
            }
        }

        impl DataSeed<'_> {
            fn is_known(event_type: &str) -> bool {
                matches!(event_type, $($name |)* "notification")
            }
        }

        impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
            type Value = WebhookEvent;

            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<WebhookEvent, D::Error> {
                Ok(match self.0 {
                    $($name => WebhookEvent::$variant(Deserialize::deserialize(d)?),)*
                    "notification" => {
                        let raw: &RawValue = Deserialize::deserialize(d)?;
                        WebhookEvent::Notification(
                            decode_notification(raw).map_err(de::Error::custom)?,
                        )
                    }
                    other => WebhookEvent::Unknown {
                        event_type: other.to_owned(),
                        data: Deserialize::deserialize(d)?,
                    },
                })
            }
        }
    };
}

webhook_events! {
    /// `storageUpdated`: a room's Storage changed.
    StorageUpdated(StorageUpdatedData) = "storageUpdated",
    /// `userEntered`: a user connected to a room.
    UserEntered(UserEnteredData) = "userEntered",
    /// `userLeft`: a user left a room.
    UserLeft(UserLeftData) = "userLeft",
    /// `roomCreated`.
    RoomCreated(RoomCreatedData) = "roomCreated",
    /// `roomDeleted`.
    RoomDeleted(RoomDeletedData) = "roomDeleted",
    /// `commentCreated`.
    CommentCreated(CommentCreatedData) = "commentCreated",
    /// `commentEdited`.
    CommentEdited(CommentEditedData) = "commentEdited",
    /// `commentDeleted`.
    CommentDeleted(CommentDeletedData) = "commentDeleted",
    /// `commentReactionAdded`.
    CommentReactionAdded(CommentReactionAddedData) = "commentReactionAdded",
    /// `commentReactionRemoved`.
    CommentReactionRemoved(CommentReactionRemovedData) = "commentReactionRemoved",
    /// `commentMetadataUpdated`.
    CommentMetadataUpdated(CommentMetadataUpdatedData) = "commentMetadataUpdated",
    /// `threadMetadataUpdated`.
    ThreadMetadataUpdated(ThreadMetadataUpdatedData) = "threadMetadataUpdated",
    /// `threadCreated`.
    ThreadCreated(ThreadCreatedData) = "threadCreated",
    /// `threadDeleted`.
    ThreadDeleted(ThreadDeletedData) = "threadDeleted",
    /// `threadMarkedAsResolved`.
    ThreadMarkedAsResolved(ThreadStatusData) = "threadMarkedAsResolved",
    /// `threadMarkedAsUnresolved`.
    ThreadMarkedAsUnresolved(ThreadStatusData) = "threadMarkedAsUnresolved",
    /// `ydocUpdated`: a room's Yjs document changed.
    YDocUpdated(YDocUpdatedData) = "ydocUpdated",
}

/// A `notification` event, by kind.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NotificationEvent {
    /// Kind `thread`: activity in a thread the user takes part in.
    Thread(ThreadNotificationData),
    /// Kind `textMention`: the user was mentioned in a text editor.
    TextMention(TextMentionNotificationData),
    /// A custom kind (its name starts with `$`), triggered by your own back end.
    Custom(CustomNotificationData),
    /// A kind this build does not know, kept as received.
    Other {
        /// The `kind` field as sent.
        kind: String,
        /// The whole `data` object as sent.
        data: serde_json::Value,
    },
}

impl NotificationEvent {
    /// The `kind` as sent: `thread`, `textMention`, `$yourKind`...
    pub fn kind(&self) -> &str {
        match self {
            Self::Thread(_) => "thread",
            Self::TextMention(_) => "textMention",
            Self::Custom(data) => &data.kind,
            Self::Other { kind, .. } => kind,
        }
    }
}

/// The channel a notification event is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotificationChannel {
    /// `email`.
    Email,
    /// `slack`.
    Slack,
    /// `teams`.
    Teams,
    /// `webPush`.
    WebPush,
    /// A channel this build does not know, as sent.
    Other(String),
}

impl NotificationChannel {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Email => "email",
            Self::Slack => "slack",
            Self::Teams => "teams",
            Self::WebPush => "webPush",
            Self::Other(name) => name,
        }
    }
}

impl From<String> for NotificationChannel {
    fn from(name: String) -> Self {
        match name.as_str() {
            "email" => Self::Email,
            "slack" => Self::Slack,
            "teams" => Self::Teams,
            "webPush" => Self::WebPush,
            _ => Self::Other(name),
        }
    }
}

impl<'de> Deserialize<'de> for NotificationChannel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl Serialize for NotificationChannel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

macro_rules! event_data {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }
    };
}

event_data!(
    /// Data of `storageUpdated`.
    StorageUpdatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// When Storage was last updated (deliveries are throttled).
        updated_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of `userEntered`.
    UserEnteredData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The connection's id within the room.
        connection_id: u64,
        /// The user's id, when the connection was authorized with one.
        user_id: Option<String>,
        /// The user info given at authorization, if any.
        user_info: Option<serde_json::Value>,
        /// When the user entered.
        entered_at: DateTime<Utc>,
        /// Users in the room after this one entered.
        num_active_users: u64,
    }
);

event_data!(
    /// Data of `userLeft`.
    UserLeftData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The connection's id within the room.
        connection_id: u64,
        /// The user's id, when the connection was authorized with one.
        user_id: Option<String>,
        /// The user info given at authorization, if any.
        user_info: Option<serde_json::Value>,
        /// When the user left.
        left_at: DateTime<Utc>,
        /// Users in the room after this one left.
        num_active_users: u64,
    }
);

event_data!(
    /// Data of `roomCreated`.
    RoomCreatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// When the room was created.
        created_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of `roomDeleted`.
    RoomDeletedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// When the room was deleted.
        deleted_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of `commentCreated`.
    CommentCreatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// The new comment.
        comment_id: String,
        /// When it was created.
        created_at: DateTime<Utc>,
        /// Who wrote it.
        created_by: String,
    }
);

event_data!(
    /// Data of `commentEdited`.
    CommentEditedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// The comment.
        comment_id: String,
        /// When it was edited.
        edited_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of `commentDeleted`.
    CommentDeletedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// The comment.
        comment_id: String,
        /// When it was deleted.
        deleted_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of `commentReactionAdded`.
    CommentReactionAddedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// The comment.
        comment_id: String,
        /// The emoji.
        emoji: String,
        /// When it was added.
        added_at: DateTime<Utc>,
        /// Who added it.
        added_by: String,
    }
);

event_data!(
    /// Data of `commentReactionRemoved`.
    CommentReactionRemovedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// The comment.
        comment_id: String,
        /// The emoji.
        emoji: String,
        /// When it was removed.
        removed_at: DateTime<Utc>,
        /// Who removed it.
        removed_by: String,
    }
);

event_data!(
    /// Data of `commentMetadataUpdated`.
    CommentMetadataUpdatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// The comment.
        comment_id: String,
        /// When its metadata changed.
        updated_at: DateTime<Utc>,
        /// Who changed it.
        updated_by: String,
    }
);

event_data!(
    /// Data of `threadMetadataUpdated`.
    ThreadMetadataUpdatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// When its metadata changed.
        updated_at: DateTime<Utc>,
        /// Who changed it.
        updated_by: String,
    }
);

event_data!(
    /// Data of `threadCreated`.
    ThreadCreatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The new thread.
        thread_id: String,
        /// When it was created.
        created_at: DateTime<Utc>,
        /// Who created it.
        created_by: String,
    }
);

event_data!(
    /// Data of `threadDeleted`.
    ThreadDeletedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// When it was deleted.
        deleted_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of `threadMarkedAsResolved` and `threadMarkedAsUnresolved`.
    ThreadStatusData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The thread.
        thread_id: String,
        /// When its status changed.
        updated_at: DateTime<Utc>,
        /// Who changed it.
        updated_by: String,
    }
);

event_data!(
    /// Data of `ydocUpdated`.
    YDocUpdatedData {
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// When the document was last updated (deliveries are throttled).
        updated_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of a `notification` event of kind `thread`.
    ThreadNotificationData {
        /// The channel to notify on.
        channel: NotificationChannel,
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The user to notify.
        user_id: String,
        /// The thread.
        thread_id: String,
        /// The inbox notification this is about.
        inbox_notification_id: String,
        /// When the inbox notification was created.
        created_at: DateTime<Utc>,
        /// When this delivery was triggered.
        triggered_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of a `notification` event of kind `textMention`.
    TextMentionNotificationData {
        /// The channel to notify on.
        channel: NotificationChannel,
        /// The project.
        project_id: String,
        /// The room.
        room_id: String,
        /// The user to notify.
        user_id: String,
        /// The mention.
        mention_id: String,
        /// The inbox notification this is about.
        inbox_notification_id: String,
        /// When the inbox notification was created.
        created_at: DateTime<Utc>,
        /// When this delivery was triggered.
        triggered_at: DateTime<Utc>,
    }
);

event_data!(
    /// Data of a `notification` event of a custom kind (`$something`).
    CustomNotificationData {
        /// The channel to notify on.
        channel: NotificationChannel,
        /// The custom kind, with its leading `$`.
        kind: String,
        /// The project.
        project_id: String,
        /// The room, when the notification was triggered for one.
        room_id: Option<String>,
        /// The user to notify.
        user_id: String,
        /// The subject the notification is about, as given when it was triggered.
        subject_id: String,
        /// The inbox notification this is about.
        inbox_notification_id: String,
        /// When the inbox notification was created.
        created_at: DateTime<Utc>,
        /// When this delivery was triggered.
        triggered_at: DateTime<Utc>,
    }
);

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum EnvelopeField {
    Type,
    Data,
    #[serde(other)]
    Other,
}

/// A string borrowed from the body when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

#[derive(Deserialize)]
struct KindProbe<'a> {
    #[serde(borrow)]
    kind: Cow<'a, str>,
}

/// Decodes `data` straight into the type named by `type` (one pass over the body, the usual
/// case: Liveblocks sends `type` first).
struct DataSeed<'t>(&'t str);

/// The top-level `{"type": ..., "data": ...}` object; other members are ignored.
struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = WebhookEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook event object with `type` and `data`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WebhookEvent, A::Error> {
        let mut event_type: Option<Cow<'de, str>> = None;
        let mut event: Option<WebhookEvent> = None;
        // `data` seen before `type`: kept raw, decoded once the type is known.
        let mut early_data: Option<&'de RawValue> = None;
        while let Some(field) = map.next_key::<EnvelopeField>()? {
            match field {
                EnvelopeField::Type => {
                    if event_type.is_some() {
                        return Err(de::Error::duplicate_field("type"));
                    }
                    event_type = Some(map.next_value::<Text<'de>>()?.0);
                }
                EnvelopeField::Data => {
                    if event.is_some() || early_data.is_some() {
                        return Err(de::Error::duplicate_field("data"));
                    }
                    match &event_type {
                        Some(name) => event = Some(map.next_value_seed(DataSeed(name))?),
                        None => early_data = Some(map.next_value()?),
                    }
                }
                EnvelopeField::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let event_type = event_type.ok_or_else(|| de::Error::missing_field("type"))?;
        match (event, early_data) {
            (Some(event), _) => Ok(event),
            (None, Some(raw)) => {
                let mut data = serde_json::Deserializer::from_str(raw.get());
                DataSeed(&event_type)
                    .deserialize(&mut data)
                    .map_err(de::Error::custom)
            }
            (None, None) => match event_type.as_ref() {
                known if DataSeed::is_known(known) => Err(de::Error::missing_field("data")),
                other => Ok(WebhookEvent::Unknown {
                    event_type: other.to_owned(),
                    data: serde_json::Value::Null,
                }),
            },
        }
    }
}

impl WebhookEvent {
    /// Decodes an event body. Only for bodies whose signature was already checked (with
    /// [`WebhookHandler::verify_signature`]); prefer [`WebhookHandler::verify`].
    pub fn decode(raw_body: &[u8]) -> Result<Self, WebhookError> {
        let mut deserializer = serde_json::Deserializer::from_slice(raw_body);
        deserializer
            .deserialize_map(EventVisitor)
            .and_then(|event| deserializer.end().map(|()| event))
            .map_err(|source| WebhookError::InvalidJson { source })
    }
}

fn decode_notification(raw: &RawValue) -> serde_json::Result<NotificationEvent> {
    let probe: KindProbe<'_> = serde_json::from_str(raw.get())?;
    Ok(match probe.kind.as_ref() {
        "thread" => NotificationEvent::Thread(serde_json::from_str(raw.get())?),
        "textMention" => NotificationEvent::TextMention(serde_json::from_str(raw.get())?),
        kind if kind.starts_with('$') => {
            NotificationEvent::Custom(serde_json::from_str(raw.get())?)
        }
        kind => NotificationEvent::Other {
            kind: kind.to_owned(),
            data: serde_json::from_str(raw.get())?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let handler =
            WebhookHandler::with_secrets(&["whsec_c2VjcmV0LWtleS1ieXRlcw==", "whsec_AAAA"])
                .unwrap();
        let shown = format!("{handler:?}");
        assert_eq!(
            shown,
            "WebhookHandler { secrets: 2, tolerance_seconds: 300 }"
        );
    }

    #[test]
    fn both_base64_alphabets_and_paddings_decode_to_the_same_key() {
        // 0xfb 0xff 0xbf encodes to "+/+/" (standard) and "-_-_" (URL-safe).
        for secret in [
            "whsec_+/+/",
            "whsec_-_-_",
            "whsec_+/8",
            "whsec_+/8=",
            "whsec_-_8",
        ] {
            assert!(parse_secret(secret).is_ok(), "{secret}");
        }
        for secret in [
            "whsec_",
            "whsec_+/-_",
            "whsec_ab cd",
            "sk_abcd",
            "whsec_====",
        ] {
            assert!(
                matches!(
                    parse_secret(secret),
                    Err(WebhookError::InvalidSecret { .. })
                ),
                "{secret}"
            );
        }
    }

    #[test]
    fn timestamps_must_be_digits() {
        assert_eq!(parse_timestamp("1735689600").unwrap(), 1_735_689_600);
        for bad in [
            "",
            " 1",
            "1735689600abc",
            "1735689600.9",
            "-5",
            "+5",
            "99999999999999999999",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn data_may_come_before_type_and_unknown_members_are_skipped() {
        let body = br#"{"attempt":1,"data":{"projectId":"p","roomId":"r","updatedAt":"2025-01-01T00:00:00Z","x":[{}]},"type":"ydocUpdated"}"#;
        match WebhookEvent::decode(body).unwrap() {
            WebhookEvent::YDocUpdated(data) => assert_eq!(data.room_id, "r"),
            other => panic!("{other:?}"),
        }
        let body = br#"{"data":{"kind":"thread"},"type":"notification"}"#;
        assert!(matches!(
            WebhookEvent::decode(body),
            Err(WebhookError::InvalidJson { .. })
        ));
    }

    #[test]
    fn envelope_errors() {
        for body in [
            &br#"{"type":"ydocUpdated"}"#[..],
            br#"{"data":{}}"#,
            br#"{"type":"a","type":"b","data":1}"#,
            br#"{"type":"a","data":1,"data":2}"#,
            br#"{"type":"a","data":1} x"#,
            br#"["type","data"]"#,
            br#"{"type":1,"data":{}}"#,
        ] {
            assert!(
                matches!(
                    WebhookEvent::decode(body),
                    Err(WebhookError::InvalidJson { .. })
                ),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(
            WebhookEvent::decode(br#"{"type":"brandNew"}"#).unwrap(),
            WebhookEvent::Unknown {
                event_type: "brandNew".into(),
                data: serde_json::Value::Null
            }
        );
        assert_eq!(
            WebhookEvent::decode(br#"{"type":"esc\u0061ped","data":[1]}"#).unwrap(),
            WebhookEvent::Unknown {
                event_type: "escaped".into(),
                data: serde_json::json!([1])
            }
        );
    }
}
