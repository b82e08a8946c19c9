//! Access tokens and ID tokens for front ends: what an auth endpoint of a Liveblocks back end
//! does on every request.
//!
//! - [`Client::prepare_session`]: an **access token** that carries its permissions (room IDs or
//!   prefix patterns, each with a list of [`Permission`]s), from `POST /v2/authorize-user`.
//! - [`Client::identify_user`]: an **ID token** that only says who the user is (and their
//!   groups); permissions come from the rooms' accesses, from `POST /v2/identify-user`.
//!
//! Mistakes are caught before any request: an empty user ID, a malformed room pattern, an empty
//! permission list, more than 10 rooms, or a session without any permission all give
//! [`Error::Session`] with a [`SessionError`] saying which rule was broken. A session is consumed
//! by `authorize`, so it cannot be reused.
//!
//! ```no_run
//! # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
//! use liveblocks::Permission;
//! let token = client
//!     .prepare_session("user-123")
//!     .user_info(serde_json::json!({"name": "Ada", "color": "#85BBF0"}))
//!     .allow("workspace-1:*", Permission::FULL_ACCESS)
//!     .allow("lobby", [Permission::RoomRead, Permission::RoomPresenceWrite])
//!     .authorize()
//!     .await?;
//! let response: http::Response<String> = token.into_http_response();
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;

use crate::client::Client;
use crate::error::Error;
use crate::types::{self, Permission};

/// Rooms (exact IDs or patterns) one access token may carry, as the API allows.
pub const MAX_ROOMS_PER_TOKEN: usize = 10;
/// The longest room ID, or prefix before a trailing `*`, in a pattern.
pub const MAX_ROOM_PATTERN_CHARS: usize = 128;

impl Permission {
    /// Full access to the room and its content: `["*:write"]`.
    pub const FULL_ACCESS: [Permission; 1] = [Permission::AllWrite];
    /// Read-only access to the room and its content: `["*:read"]`.
    pub const READ_ACCESS: [Permission; 1] = [Permission::AllRead];
}

/// Which rule a session or ID-token request broke. No request was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The user ID is empty.
    #[error("the user ID must not be empty")]
    EmptyUserId,
    /// A room pattern is not `*`, an exact room ID, or a prefix followed by one `*` at the end.
    #[error(
        "invalid room pattern {pattern:?}: use \"*\", an exact room ID, or a prefix of 1 to \
         128 characters followed by \"*\" (a \"*\" is only allowed at the end)"
    )]
    InvalidRoomPattern {
        /// The pattern as given.
        pattern: String,
    },
    /// `allow` was called with no permission.
    #[error("the permission list for {pattern:?} is empty")]
    EmptyPermissions {
        /// The room pattern.
        pattern: String,
    },
    /// More than [`MAX_ROOMS_PER_TOKEN`] room patterns.
    #[error(
        "an access token may carry at most 10 rooms or patterns; {pattern:?} would be the 11th"
    )]
    TooManyRooms {
        /// The pattern that went over the limit.
        pattern: String,
    },
    /// `authorize` on a session that allows nothing.
    #[error(
        "the session allows no room: call .allow(room_or_pattern, permissions) before \
         .authorize() (use \"*\" with Permission::READ_ACCESS for a token valid everywhere)"
    )]
    NoPermissions,
}

const AUTHORIZE_USER: &str = "/v2/authorize-user";
const IDENTIFY_USER: &str = "/v2/identify-user";

/// Reports a failed token request as a `tracing` warning (the endpoint, and the status, code
/// and message of an API error; never the key, which no [`Error`] holds) and hands the error
/// back.
fn warn_failure(endpoint: &'static str, error: Error) -> Error {
    match &error {
        Error::Api(e) => tracing::warn!(
            endpoint,
            status = e.status.as_u16(),
            code = e.code.as_deref().unwrap_or(""),
            server_message = e.message.as_deref().unwrap_or(""),
            request_id = e.request_id.as_deref().unwrap_or(""),
            "Liveblocks refused the token request"
        ),
        Error::Session(e) => tracing::warn!(
            endpoint,
            error = %e,
            "the token request was not sent: the session breaks a rule"
        ),
        other => tracing::warn!(endpoint, error = %other, "the token request failed"),
    }
    error
}

fn check_user_id(user_id: &str) -> Result<(), SessionError> {
    if user_id.is_empty() {
        Err(SessionError::EmptyUserId)
    } else {
        Ok(())
    }
}

/// `*`, or 1 to 128 characters without `*`, optionally followed by one `*`.
fn check_pattern(pattern: &str) -> Result<(), SessionError> {
    if pattern == "*" {
        return Ok(());
    }
    let stem = pattern.strip_suffix('*').unwrap_or(pattern);
    let chars = stem.chars().count();
    if (1..=MAX_ROOM_PATTERN_CHARS).contains(&chars) && !stem.contains('*') {
        Ok(())
    } else {
        Err(SessionError::InvalidRoomPattern {
            pattern: pattern.to_owned(),
        })
    }
}

fn user_info_map(info: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match info {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => serde_json::Map::new(),
        other => {
            let mut map = serde_json::Map::new();
            map.insert("value".to_owned(), other);
            map
        }
    }
}

/// An access-token request being prepared; see [`Client::prepare_session`].
#[derive(Debug)]
#[must_use = "a session does nothing until .authorize().await"]
pub struct Session<'a> {
    client: &'a Client,
    user_id: String,
    user_info: serde_json::Map<String, serde_json::Value>,
    organization_id: Option<String>,
    /// Patterns in the order they were first allowed, each with its merged permissions.
    rooms: Vec<(String, Vec<Permission>)>,
    /// The first rule broken, reported by `authorize`.
    error: Option<SessionError>,
}

impl<'a> Session<'a> {
    /// Public information about the user (name, avatar, color, ...), visible to other users in
    /// the room. Must be a JSON object; other values are wrapped as `{"value": ...}`.
    pub fn user_info(mut self, info: serde_json::Value) -> Self {
        self.user_info = user_info_map(info);
        self
    }

    /// The organization (workspace) the token is for.
    pub fn organization_id(mut self, organization_id: impl Into<String>) -> Self {
        self.organization_id = Some(organization_id.into());
        self
    }

    /// Grants `permissions` on a room ID, a prefix pattern ending in `*` (`"team-1:*"`), or
    /// `"*"` for every room. Calling it again for the same pattern adds permissions;
    /// duplicates are merged, the first order kept.
    pub fn allow(
        mut self,
        room_id_or_pattern: impl Into<String>,
        permissions: impl IntoIterator<Item = Permission>,
    ) -> Self {
        if self.error.is_some() {
            return self;
        }
        let pattern = room_id_or_pattern.into();
        if let Err(e) = check_pattern(&pattern) {
            self.error = Some(e);
            return self;
        }
        let mut permissions = permissions.into_iter().peekable();
        if permissions.peek().is_none() {
            self.error = Some(SessionError::EmptyPermissions { pattern });
            return self;
        }
        let index = match self.rooms.iter().position(|(p, _)| *p == pattern) {
            Some(index) => index,
            None if self.rooms.len() >= MAX_ROOMS_PER_TOKEN => {
                self.error = Some(SessionError::TooManyRooms { pattern });
                return self;
            }
            None => {
                self.rooms.push((pattern, Vec::new()));
                self.rooms.len() - 1
            }
        };
        let merged = &mut self.rooms[index].1;
        for permission in permissions {
            if !merged.contains(&permission) {
                merged.push(permission);
            }
        }
        self
    }

    /// The request body this session sends, after validation.
    fn body(&self) -> Result<types::AuthorizeUserRequestBody, SessionError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        check_user_id(&self.user_id)?;
        if self.rooms.is_empty() {
            return Err(SessionError::NoPermissions);
        }
        let permissions: BTreeMap<String, Vec<Permission>> = self.rooms.iter().cloned().collect();
        Ok(types::AuthorizeUserRequestBody {
            user_id: self.user_id.clone(),
            permissions,
            user_info: self.user_info.clone(),
            organization_id: self.organization_id.clone(),
        })
    }

    /// Validates the session and asks Liveblocks for the access token
    /// (`POST /v2/authorize-user`). Consumes the session.
    ///
    /// # Errors
    ///
    /// [`Error::Session`] when a rule was broken (nothing is sent); otherwise any error of the
    /// request.
    pub async fn authorize(self) -> Result<AuthToken, Error> {
        let body = self
            .body()
            .map_err(|e| warn_failure(AUTHORIZE_USER, e.into()))?;
        let token = self
            .client
            .authorize_user()
            .body(body)
            .send()
            .await
            .map_err(|e| warn_failure(AUTHORIZE_USER, e))?
            .into_inner();
        Ok(AuthToken { token: token.token })
    }
}

/// An ID-token request being prepared; see [`Client::identify_user`].
#[derive(Debug)]
#[must_use = "an ID-token request does nothing until .authorize().await"]
pub struct IdentifyUser<'a> {
    client: &'a Client,
    user_id: String,
    group_ids: Vec<String>,
    user_info: serde_json::Map<String, serde_json::Value>,
    organization_id: Option<String>,
}

impl<'a> IdentifyUser<'a> {
    /// The groups the user belongs to (for group accesses and mentions).
    pub fn group_ids<S: Into<String>>(mut self, group_ids: impl IntoIterator<Item = S>) -> Self {
        self.group_ids = group_ids.into_iter().map(Into::into).collect();
        self
    }

    /// Public information about the user; see [`Session::user_info`].
    pub fn user_info(mut self, info: serde_json::Value) -> Self {
        self.user_info = user_info_map(info);
        self
    }

    /// The organization (workspace) the token is for.
    pub fn organization_id(mut self, organization_id: impl Into<String>) -> Self {
        self.organization_id = Some(organization_id.into());
        self
    }

    /// Asks Liveblocks for the ID token (`POST /v2/identify-user`).
    ///
    /// # Errors
    ///
    /// [`Error::Session`] for an empty user ID (nothing is sent); otherwise any error of the
    /// request.
    pub async fn authorize(self) -> Result<AuthToken, Error> {
        check_user_id(&self.user_id).map_err(|e| warn_failure(IDENTIFY_USER, e.into()))?;
        let body = types::IdentifyUserRequestBody {
            user_id: self.user_id,
            group_ids: self.group_ids,
            user_info: self.user_info,
            organization_id: self.organization_id,
        };
        let token = crate::builder::IdentifyUser::new(self.client)
            .body(body)
            .send()
            .await
            .map_err(|e| warn_failure(IDENTIFY_USER, e))?;
        Ok(AuthToken {
            token: token.into_inner().token,
        })
    }
}

impl Client {
    /// Prepares an access token for `user_id`: add rooms with [`Session::allow`], then
    /// [`Session::authorize`]. The request is `POST /v2/authorize-user`; reference:
    /// <https://liveblocks.io/docs/api-reference/rest-api-endpoints#post-authorize-user>.
    pub fn prepare_session(&self, user_id: impl Into<String>) -> Session<'_> {
        Session {
            client: self,
            user_id: user_id.into(),
            user_info: serde_json::Map::new(),
            organization_id: None,
            rooms: Vec::new(),
            error: None,
        }
    }

    /// Prepares an ID token for `user_id` (`POST /v2/identify-user`): set groups, user info and
    /// organization, then [`IdentifyUser::authorize`]. Reference:
    /// <https://liveblocks.io/docs/api-reference/rest-api-endpoints#post-identify-user>.
    pub fn identify_user(&self, user_id: impl Into<String>) -> IdentifyUser<'_> {
        IdentifyUser {
            client: self,
            user_id: user_id.into(),
            group_ids: Vec::new(),
            user_info: serde_json::Map::new(),
            organization_id: None,
        }
    }
}

/// A token for a front end (access token or ID token).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthToken {
    token: String,
}

impl std::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthToken(<redacted>)")
    }
}

impl AuthToken {
    /// The token (a JWT).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The token, owned.
    pub fn into_token(self) -> String {
        self.token
    }

    /// The JSON body a Liveblocks front end expects from its auth endpoint: `{"token": "..."}`.
    pub fn json_body(&self) -> String {
        serde_json::json!({ "token": self.token }).to_string()
    }

    /// The whole HTTP answer for the front end: `200 OK`, `content-type: application/json` and
    /// [`json_body`](Self::json_body). Frameworks built on `http` (axum, ...) return it as is.
    pub fn into_http_response(self) -> http::Response<String> {
        json_response(http::StatusCode::OK, self.json_body())
    }
}

fn json_response(status: http::StatusCode, body: String) -> http::Response<String> {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// The HTTP answer for the outcome of `authorize()`, for the front end's auth endpoint.
///
/// What the browser receives (always `content-type: application/json`):
///
/// | outcome | status | body |
/// | --- | --- | --- |
/// | a token | `200` | `{"token": "..."}` |
/// | [`Error::Session`] (a rule of the session was broken; nothing was sent) | `403` | `{"error": "forbidden"}` |
/// | an API refusal (4xx: a wrong or revoked key, a forbidden project, a bad body) | the API's status | `{"error": code, "message": the server's message}` (`message` only when the server sent one) |
/// | Liveblocks failed (5xx) or could not be reached | `502` | `{"error": "upstream"}` |
///
/// The server's code and message are passed on as the Node SDK passes on the server's answer;
/// the secret key is never part of them. Every failure has also been reported by
/// `authorize()` as a `tracing` warning with the endpoint and, for API errors, the status,
/// code, message and request ID, so that a refused key shows in the back end's logs.
///
/// ```
/// # use liveblocks::{Error, SessionError, auth_response};
/// let refused = auth_response(Err(Error::Session(SessionError::NoPermissions)));
/// assert_eq!(refused.status(), 403);
/// assert_eq!(refused.body(), r#"{"error":"forbidden"}"#);
/// ```
pub fn auth_response(result: Result<AuthToken, Error>) -> http::Response<String> {
    match result {
        Ok(token) => token.into_http_response(),
        Err(Error::Session(_)) => json_response(
            http::StatusCode::FORBIDDEN,
            r#"{"error":"forbidden"}"#.to_owned(),
        ),
        Err(Error::Api(e)) if e.status.is_client_error() => {
            let status = http::StatusCode::from_u16(e.status.as_u16())
                .unwrap_or(http::StatusCode::FORBIDDEN);
            let mut body = serde_json::Map::new();
            let code = e.code.as_deref().unwrap_or("error");
            body.insert("error".to_owned(), code.into());
            if let Some(message) = &e.message {
                body.insert("message".to_owned(), message.as_str().into());
            }
            json_response(status, serde_json::Value::Object(body).to_string())
        }
        Err(_) => json_response(
            http::StatusCode::BAD_GATEWAY,
            r#"{"error":"upstream"}"#.to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::new("sk_test_session").unwrap()
    }

    fn body(session: Session<'_>) -> Result<serde_json::Value, SessionError> {
        session.body().map(|b| serde_json::to_value(b).unwrap())
    }

    #[test]
    fn patterns() {
        for ok in [
            "*",
            "room",
            "room-*",
            "a*",
            &"x".repeat(128),
            &format!("{}*", "é".repeat(128)),
        ] {
            assert_eq!(check_pattern(ok), Ok(()), "{ok:?}");
        }
        for bad in [
            "",
            "**",
            "*a",
            "a*b",
            "a**",
            &"x".repeat(129),
            &format!("{}*", "x".repeat(129)),
        ] {
            assert!(
                matches!(
                    check_pattern(bad),
                    Err(SessionError::InvalidRoomPattern { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn empty_user_id() {
        let c = client();
        assert_eq!(
            body(c.prepare_session("").allow("*", Permission::READ_ACCESS)),
            Err(SessionError::EmptyUserId)
        );
    }

    #[test]
    fn invalid_pattern_is_reported_with_the_pattern() {
        let c = client();
        let err = body(c.prepare_session("u").allow("a*b", Permission::FULL_ACCESS)).unwrap_err();
        assert_eq!(
            err,
            SessionError::InvalidRoomPattern {
                pattern: "a*b".into()
            }
        );
    }

    #[test]
    fn empty_permission_list() {
        let c = client();
        let err = body(c.prepare_session("u").allow("room", [])).unwrap_err();
        assert_eq!(
            err,
            SessionError::EmptyPermissions {
                pattern: "room".into()
            }
        );
    }

    #[test]
    fn at_most_ten_rooms() {
        let c = client();
        let mut session = c.prepare_session("u");
        for i in 0..10 {
            session = session.allow(format!("room-{i}"), Permission::READ_ACCESS);
        }
        // Adding to an existing pattern is still fine.
        session = session.allow("room-3", [Permission::RoomPresenceWrite]);
        assert!(session.body().is_ok());
        let err = body(session.allow("room-10", Permission::READ_ACCESS)).unwrap_err();
        assert_eq!(
            err,
            SessionError::TooManyRooms {
                pattern: "room-10".into()
            }
        );
    }

    #[test]
    fn duplicates_are_merged_in_order() {
        let c = client();
        let session = c
            .prepare_session("u")
            .allow(
                "room",
                [
                    Permission::RoomRead,
                    Permission::RoomPresenceWrite,
                    Permission::RoomRead,
                ],
            )
            .allow(
                "room",
                [Permission::CommentsWrite, Permission::RoomPresenceWrite],
            );
        let body = body(session).unwrap();
        assert_eq!(
            body["permissions"]["room"],
            serde_json::json!(["room:read", "room:presence:write", "comments:write"])
        );
    }

    #[test]
    fn a_session_without_permissions_is_refused() {
        let c = client();
        assert_eq!(
            body(c.prepare_session("u")),
            Err(SessionError::NoPermissions)
        );
    }

    #[test]
    fn the_first_error_wins() {
        let c = client();
        let err = body(
            c.prepare_session("u")
                .allow("", Permission::READ_ACCESS)
                .allow("x", []),
        )
        .unwrap_err();
        assert!(matches!(err, SessionError::InvalidRoomPattern { .. }));
    }

    #[test]
    fn named_sets_serialize_to_wire_strings() {
        assert_eq!(
            serde_json::to_value(Permission::FULL_ACCESS).unwrap(),
            serde_json::json!(["*:write"])
        );
        assert_eq!(
            serde_json::to_value(Permission::READ_ACCESS).unwrap(),
            serde_json::json!(["*:read"])
        );
    }

    #[test]
    fn tokens_become_http_answers() {
        let token = AuthToken {
            token: "abc.def.ghi".into(),
        };
        assert_eq!(format!("{token:?}"), "AuthToken(<redacted>)");
        let response = token.into_http_response();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.body(), r#"{"token":"abc.def.ghi"}"#);
        let refused = auth_response(Err(Error::Session(SessionError::NoPermissions)));
        assert_eq!(refused.status(), 403);
        assert_eq!(refused.body(), r#"{"error":"forbidden"}"#);
    }
}
