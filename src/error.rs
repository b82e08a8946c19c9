//! The one public error type of the crate.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// Everything that can go wrong when calling the Liveblocks API.
///
/// Match on the variant to decide what to do: [`Error::Api`] carries the HTTP status and the
/// server's explanation; the others say that no valid answer arrived. Every error produced after
/// a request went out says how many attempts were made ([`Error::attempts`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status (4xx or 5xx).
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The answer was a redirect (3xx). The Liveblocks API does not redirect, so the client
    /// does not follow it (the credential and the body would go to another address); the base
    /// URL or a proxy in between is wrong. Not retried.
    #[error(
        "the server answered {status} redirecting to {}, after {attempts} attempt(s); redirects \
         are not followed (the Liveblocks API never redirects: check the base URL and any proxy)",
        location.as_deref().unwrap_or("nowhere (no Location header)")
    )]
    Redirect {
        /// The HTTP status of the redirect (or of the answer a caller-supplied HTTP client
        /// fetched after following one).
        status: StatusCode,
        /// Where the server redirected to (the `Location` header), when it said.
        location: Option<String>,
        /// How many attempts were made.
        attempts: u32,
    },

    /// The connection failed: it could not be established, it broke after the request was
    /// sent, or the response body was cut short. [`Error::request_sent`] tells which side of
    /// sending it happened on.
    #[error("{}", transport_message(*.sent, *.status, *.attempts, .source))]
    Transport {
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
        /// How many attempts were made.
        attempts: u32,
        /// Whether the request may have reached the server: `false` when the connection could
        /// not be established (nothing was sent), `true` otherwise (it may have been applied).
        sent: bool,
        /// The status of the response, when its headers had arrived before the body failed.
        status: Option<StatusCode>,
    },

    /// A time limit ran out before the answer was complete.
    #[error("{}", timeout_message(*.kind, *.limit, *.attempts, *.status))]
    Timeout {
        /// Which limit ran out.
        kind: TimeoutKind,
        /// Its value, when known (a caller-supplied HTTP client's own timeout is not).
        limit: Option<Duration>,
        /// How many attempts were made.
        attempts: u32,
        /// The status of the response, when its headers had arrived before the limit.
        status: Option<StatusCode>,
        /// The HTTP client's error, when the HTTP client's own timer fired.
        #[source]
        source: Option<reqwest::Error>,
    },

    /// A success response arrived but its body does not match the expected shape.
    #[error(
        "could not decode the {status} response body after {attempts} attempt(s): {message} \
         (body starts with: {snippet:?})"
    )]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// What the decoder said.
        message: String,
        /// The first bytes of the body, lossily converted to text.
        snippet: String,
        /// How many attempts were made.
        attempts: u32,
    },

    /// The server's answer decoded but makes no sense (e.g. a list that hands back the cursor
    /// it was just given, which would page forever).
    #[error("invalid response from the Liveblocks API: {0}")]
    InvalidResponse(String),

    /// An access-token session or ID-token request broke a rule; no request was sent.
    #[error("invalid session: {0}")]
    Session(#[from] crate::session::SessionError),

    /// A Storage mutation could not read the room's Storage tree, or one of its edits was
    /// refused (see [`StorageError`](crate::storage::StorageError)); nothing was sent.
    #[error("storage mutation: {0}")]
    Storage(#[from] crate::storage::StorageError),

    /// A room's Yjs document could not be loaded or edited (see
    /// [`YjsError`](crate::yjs::YjsError)): it has none, or its bytes do not decode; nothing
    /// was sent.
    #[cfg(feature = "yrs")]
    #[error("yjs: {0}")]
    Yjs(#[from] crate::yjs::YjsError),

    /// A required argument of an operation was not set: a path or query parameter, the
    /// request body, or a field of a body built with `body_map`; no request was sent. The message says which
    /// setter to call.
    #[error("{}", missing_field_message(operation, field, *location))]
    MissingField {
        /// The operation (the `Client` method), such as `create_room`.
        operation: &'static str,
        /// The setter that sets it, as you type it (`id`, `room_id`).
        field: String,
        /// Whether it is a body field or a parameter.
        location: FieldLocation,
    },

    /// An argument was invalid (or a required one missing, where [`Error::MissingField`] does
    /// not apply); no request was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// The client could not be configured (bad secret, bad base URL, missing environment
    /// variable); no request was sent.
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// The async [`Client`](crate::Client) was called outside a Tokio runtime; nothing was sent.
    #[error(
        "liveblocks::Client needs a Tokio runtime: call it from async code running on Tokio \
         (#[tokio::main], tokio::runtime::Runtime::block_on), or use liveblocks::blocking::Client \
         (cargo feature \"blocking\") from synchronous code; nothing was sent"
    )]
    NoRuntime,

    /// The blocking client was created or used on a thread that runs an async runtime (inside
    /// an `async fn`, `#[tokio::main]` or `tokio::task::spawn_blocking`), where blocking would
    /// stall the runtime or deadlock; nothing was sent.
    #[cfg(feature = "blocking")]
    #[error(
        "liveblocks::blocking::Client cannot be created or used on a thread that runs an async \
         runtime (an async fn, #[tokio::main], tokio::task::spawn_blocking): blocking there would \
         stall the runtime. In async code use liveblocks::Client with .await; to call blocking \
         code from async code, run it on a thread of its own (std::thread::spawn)"
    )]
    BlockingInAsyncContext,
}

/// Where a missing required argument ([`Error::MissingField`]) belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldLocation {
    /// A path or query parameter, set on the operation's builder (`.room_id(..)`).
    Parameter,
    /// The request body itself, of an operation whose body has no field builder, set with
    /// `.body(..)` (`field` is then `body`).
    Body,
    /// A field of the request body, set in `.body_map(|b| b.field(..))`.
    BodyField,
}

fn missing_field_message(operation: &str, field: &str, location: FieldLocation) -> String {
    match location {
        FieldLocation::Parameter => format!(
            "{operation}: the required parameter `{field}` was not set; call `.{field}(..)` on \
             the builder; nothing was sent"
        ),
        FieldLocation::Body => format!(
            "{operation}: the required request body was not set; call `.body(..)` on the \
             builder; nothing was sent"
        ),
        FieldLocation::BodyField => format!(
            "{operation}: the required body field `{field}` was not set; call `.{field}(..)` in \
             `body_map`, or pass a whole body with `.body(..)`; nothing was sent"
        ),
    }
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the TCP/TLS connection took longer than the connect timeout
    /// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)); nothing was
    /// sent.
    Connect,
    /// One attempt (sending the request and reading the whole answer) took longer than the
    /// attempt timeout ([`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout)),
    /// and no retry was allowed or left.
    Attempt,
    /// The whole call (attempts, backoff and `Retry-After` waits) reached its deadline
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    Deadline,
}

impl TimeoutKind {
    fn builder_method(self) -> &'static str {
        match self {
            TimeoutKind::Connect => "connect_timeout",
            TimeoutKind::Attempt => "attempt_timeout",
            TimeoutKind::Deadline => "timeout",
        }
    }
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Deadline => "deadline of the call",
        })
    }
}

/// The causes below the HTTP client's own message, innermost last (`tcp connect error:
/// Connection refused (os error 111)`), so the root cause is in the message itself.
fn causes(error: &reqwest::Error) -> String {
    let mut out = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

fn transport_message(
    sent: bool,
    status: Option<StatusCode>,
    attempts: u32,
    source: &reqwest::Error,
) -> String {
    let what = match (sent, status) {
        (false, _) => "could not connect to the Liveblocks API: nothing was sent".to_string(),
        (true, None) => "the connection failed after the request was sent: it may have been \
                         applied"
            .to_string(),
        (true, Some(status)) => format!(
            "the {status} response was cut short after its headers arrived: the request may \
             have been applied"
        ),
    };
    format!("{what} ({attempts} attempt(s)): {}", causes(source))
}

fn timeout_message(
    kind: TimeoutKind,
    limit: Option<Duration>,
    attempts: u32,
    status: Option<StatusCode>,
) -> String {
    let limit = limit.map(|d| format!(" ({d:?})")).unwrap_or_default();
    let sent = match (kind, status) {
        (TimeoutKind::Connect, _) => "nothing was sent".to_string(),
        (_, Some(status)) => {
            format!(
                "the {status} response had started to arrive; the request may have been applied"
            )
        }
        (_, None) => "the request may have been applied".to_string(),
    };
    format!(
        "the {kind}{limit} ran out after {attempts} attempt(s) ({sent}); raise it with \
         `ClientBuilder::{}` if the API is slow",
        kind.builder_method()
    )
}

/// An error answer from the API: the status and the server's error body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The machine-readable error code (`error` field), e.g. `ROOM_NOT_FOUND`.
    pub code: Option<String>,
    /// The human-readable explanation (`message` field).
    pub message: Option<String>,
    /// What to change (`suggestion` field).
    pub suggestion: Option<String>,
    /// A documentation link (`docs` field).
    pub docs: Option<String>,
    /// The request id response header, when the server sent one.
    pub request_id: Option<String>,
    /// The start of the body when it was not the JSON error shape (an HTML error page, text).
    pub body_snippet: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
    /// The wait the server asked for in `Retry-After` (429 and 503 answers), when it sent one.
    /// The client honours it up to
    /// [`ClientBuilder::retry_max_delay`](crate::ClientBuilder::retry_max_delay) and within the
    /// call's deadline; a longer wait ends the call at once with this error.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status.as_u16())?;
        match &self.code {
            Some(code) => write!(f, " {code}")?,
            None => write!(f, " {}", self.status.canonical_reason().unwrap_or("error"))?,
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if let Some(snippet) = &self.body_snippet {
            write!(f, ": {snippet:?}")?;
        }
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (suggestion: {suggestion})")?;
        }
        if let Some(docs) = &self.docs {
            write!(f, " (docs: {docs})")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (the server asked to retry after {wait:?})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl Error {
    /// The HTTP status of the answer, when one arrived: for [`Error::Api`], [`Error::Decode`]
    /// and [`Error::Redirect`], and for [`Error::Transport`] and [`Error::Timeout`] when the
    /// headers had arrived before the body failed.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } | Error::Redirect { status, .. } => Some(*status),
            Error::Transport { status, .. } | Error::Timeout { status, .. } => *status,
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The machine-readable error code of an API error (e.g. `ROOM_NOT_FOUND`).
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|e| e.code.as_deref())
    }

    /// Whether the API answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The wait the server asked for with `Retry-After` on the final answer (see
    /// [`ApiError::retry_after`]).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|e| e.retry_after)
    }

    /// Whether the request may have reached the server, for the errors that followed a send:
    /// `Some(false)` when the connection could not be established (nothing was sent),
    /// `Some(true)` when it reached the server or may have (an answer arrived, or the connection
    /// failed after sending), `None` when no request was made.
    pub fn request_sent(&self) -> Option<bool> {
        match self {
            Error::Transport { sent, .. } => Some(*sent),
            Error::Timeout { kind, .. } => Some(*kind != TimeoutKind::Connect),
            Error::Api(_) | Error::Decode { .. } | Error::Redirect { .. } => Some(true),
            _ => None,
        }
    }

    /// How many attempts were made before this error, for every error that followed a request
    /// (`None` when nothing was sent).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) => Some(e.attempts),
            Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Redirect { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Classifies an error of the HTTP client: connect timeouts, the HTTP client's own timer,
    /// and connection failures on either side of sending.
    pub(crate) fn from_reqwest(
        source: reqwest::Error,
        attempts: u32,
        status: Option<StatusCode>,
        connect_timeout: Option<Duration>,
    ) -> Self {
        if source.is_timeout() {
            let connect = source.is_connect();
            Error::Timeout {
                kind: if connect {
                    TimeoutKind::Connect
                } else {
                    TimeoutKind::Attempt
                },
                limit: if connect { connect_timeout } else { None },
                attempts,
                status,
                source: Some(source),
            }
        } else {
            Error::Transport {
                sent: !source.is_connect(),
                source,
                attempts,
                status,
            }
        }
    }
}

/// The first `max` characters of a body, lossily decoded.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(max * 4)]);
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max || body.len() > max * 4 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: Option<&str>, message: Option<&str>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: code.map(Into::into),
            message: message.map(Into::into),
            suggestion: Some("Check the room id".into()),
            docs: None,
            request_id: None,
            body_snippet: None,
            attempts: 1,
            retry_after: None,
        }
    }

    #[test]
    fn api_error_reads_like_a_sentence() {
        let e = Error::Api(Box::new(api(
            Some("ROOM_NOT_FOUND"),
            Some("Room 'x' was not found"),
        )));
        assert_eq!(
            e.to_string(),
            "404 ROOM_NOT_FOUND: Room 'x' was not found (suggestion: Check the room id)"
        );
        assert!(e.is_not_found());
        assert_eq!(e.code(), Some("ROOM_NOT_FOUND"));
        let e = api(None, None);
        assert_eq!(
            e.to_string(),
            "404 Not Found (suggestion: Check the room id)"
        );
    }

    #[test]
    fn snippets_are_bounded_and_lossy() {
        assert_eq!(snippet(b"short", 10), "short");
        assert_eq!(snippet(b"0123456789abc", 10), "0123456789…");
        assert_eq!(snippet(&[0xff, b'a'], 10), "\u{fffd}a");
    }
}
