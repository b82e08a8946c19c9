//! The one public error type of the crate.

use std::fmt;

use reqwest::StatusCode;

/// Everything that can go wrong when calling the Liveblocks API.
///
/// Match on the variant to decide what to do: [`Error::Api`] carries the HTTP status and the
/// server's explanation; the others say that no valid answer arrived.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status (4xx or 5xx).
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The request could not be sent, or the response could not be read (connection refused or
    /// reset, DNS, TLS, a body cut short).
    #[error("could not reach the Liveblocks API after {attempts} attempt(s): {source}")]
    Transport {
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
        /// How many attempts were made.
        attempts: u32,
    },

    /// A timeout fired before the response arrived.
    #[error(
        "the {kind} timeout fired after {attempts} attempt(s); raise it with \
         `ClientBuilder::{}` if the API is slow", kind.builder_method()
    )]
    Timeout {
        /// Which timeout fired.
        kind: TimeoutKind,
        /// How many attempts were made.
        attempts: u32,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// A success response arrived but its body does not match the expected shape.
    #[error(
        "could not decode the {status} response body: {message} (body starts with: {snippet:?})"
    )]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// What the decoder said.
        message: String,
        /// The first bytes of the body, lossily converted to text.
        snippet: String,
    },

    /// The server's answer decoded but makes no sense (e.g. a list that hands back the cursor
    /// it was just given, which would page forever).
    #[error("invalid response from the Liveblocks API: {0}")]
    InvalidResponse(String),

    /// An access-token session or ID-token request broke a rule; no request was sent.
    #[error("invalid session: {0}")]
    Session(#[from] crate::session::SessionError),

    /// An argument was missing or invalid; no request was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// The client could not be configured (bad secret, bad base URL, missing environment
    /// variable); no request was sent.
    #[error("invalid client configuration: {0}")]
    Config(String),

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

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the TCP/TLS connection took longer than the connect timeout.
    Connect,
    /// The whole request (send and receive) took longer than the request timeout.
    Request,
}

impl TimeoutKind {
    fn builder_method(self) -> &'static str {
        match self {
            TimeoutKind::Connect => "connect_timeout",
            TimeoutKind::Request => "timeout",
        }
    }
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Request => "request",
        })
    }
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
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl Error {
    /// The HTTP status, for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
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

    /// Whether a timeout fired.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// How many attempts were made before this error, when a request was sent.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) => Some(e.attempts),
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Classifies a transport-level error from reqwest.
    pub(crate) fn from_reqwest(source: reqwest::Error, attempts: u32) -> Self {
        if source.is_timeout() {
            let kind = if source.is_connect() {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Request
            };
            Error::Timeout {
                kind,
                attempts,
                source,
            }
        } else {
            Error::Transport { source, attempts }
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
