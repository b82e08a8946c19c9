//! Turns the answer of an exchange (`crate::transport`) into a success value or a
//! `liveblocks::Error`.
//!
//! Any 2xx counts as success when its body decodes (a status the spec does not list included);
//! a 3xx is a refused redirect; anything else is an API error that keeps its status even when
//! the body is not JSON, and the `Retry-After` the server sent.

use bytes::Bytes;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Error, snippet};
use crate::retry;
use crate::transport::{Answer, StreamBody};

/// Bytes of a body kept in error messages.
const SNIPPET_CHARS: usize = 200;

/// The success value of a JSON operation.
pub(crate) fn json<T: DeserializeOwned>(answer: Answer<Bytes>) -> Result<ResponseValue<T>, Error> {
    let attempts = answer.attempts;
    let (status, headers, body) = success(answer, |b| &b[..])?;
    let value = serde_json::from_slice(if body.is_empty() { b"null" } else { &body })
        .map_err(|e| decode_error(status, &e, &body, attempts))?;
    Ok(ResponseValue::new(value, status, headers))
}

/// The success value of an operation without a success body.
pub(crate) fn empty(answer: Answer<Bytes>) -> Result<ResponseValue<()>, Error> {
    let (status, headers, _) = success(answer, |b| &b[..])?;
    Ok(ResponseValue::new((), status, headers))
}

/// The success value of a byte-stream operation.
pub(crate) fn stream(answer: Answer<StreamBody>) -> Result<ResponseValue<ByteStream>, Error> {
    let (status, headers, body) = success(answer, |body| match body {
        StreamBody::Stream(_) => &[],
        StreamBody::Bytes(bytes) => bytes,
    })?;
    let stream = match body {
        StreamBody::Stream(stream) => stream,
        // Not reached: a successful stream answer is always kept as a stream.
        StreamBody::Bytes(bytes) => {
            ByteStream::new(Box::pin(futures::stream::iter([Ok::<_, reqwest::Error>(
                bytes,
            )])))
        }
    };
    Ok(ResponseValue::new(stream, status, headers))
}

/// The parts of a success answer, or the error of any other (`bytes` gives an error body).
fn success<B>(
    answer: Answer<B>,
    bytes: impl Fn(&B) -> &[u8],
) -> Result<(StatusCode, HeaderMap, B), Error> {
    let Answer {
        status,
        headers,
        body,
        attempts,
        redirected_to,
    } = answer;
    if redirected_to.is_some() || status.is_redirection() {
        let location = redirected_to.or_else(|| {
            headers
                .get(LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        });
        return Err(Error::Redirect {
            status,
            location,
            attempts,
        });
    }
    if !status.is_success() {
        return Err(api_error(status, &headers, bytes(&body), attempts));
    }
    Ok((status, headers, body))
}

fn decode_error(
    status: StatusCode,
    error: &serde_json::Error,
    body: &[u8],
    attempts: u32,
) -> Error {
    Error::Decode {
        status,
        message: error.to_string(),
        snippet: snippet(body, SNIPPET_CHARS),
        attempts,
    }
}

/// Header names that may carry a request id, in order of preference.
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "x-lb-request-id", "request-id"];

/// Builds the API error of a non-success response.
pub(crate) fn api_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    attempts: u32,
) -> Error {
    #[derive(serde::Deserialize)]
    struct Body {
        error: Option<serde_json::Value>,
        message: Option<String>,
        reason: Option<String>,
        suggestion: Option<String>,
        docs: Option<String>,
    }
    let request_id = REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned));
    let mut error = ApiError {
        status,
        code: None,
        message: None,
        suggestion: None,
        docs: None,
        request_id,
        body_snippet: None,
        attempts,
        retry_after: retry::retry_after(headers),
    };
    match serde_json::from_slice::<Body>(body) {
        Ok(parsed) => {
            error.code = parsed.error.map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            });
            error.message = parsed.message.or(parsed.reason);
            error.suggestion = parsed.suggestion;
            error.docs = parsed.docs;
        }
        Err(_) if !body.is_empty() => error.body_snippet = Some(snippet(body, SNIPPET_CHARS)),
        Err(_) => {}
    }
    Error::Api(Box::new(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_keeps_status_and_fields() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req_1".parse().unwrap());
        let body = br#"{"error":"ROOM_NOT_FOUND","message":"Room 'x' was not found","suggestion":"Create it first","docs":"https://liveblocks.io/docs","extra":1}"#;
        let Error::Api(e) = api_error(StatusCode::NOT_FOUND, &headers, body, 2) else {
            panic!("expected an API error")
        };
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert_eq!(e.code.as_deref(), Some("ROOM_NOT_FOUND"));
        assert_eq!(e.message.as_deref(), Some("Room 'x' was not found"));
        assert_eq!(e.suggestion.as_deref(), Some("Create it first"));
        assert_eq!(e.docs.as_deref(), Some("https://liveblocks.io/docs"));
        assert_eq!(e.request_id.as_deref(), Some("req_1"));
        assert_eq!(e.attempts, 2);
        assert_eq!(e.body_snippet, None);
    }

    #[test]
    fn html_error_bodies_keep_the_status() {
        let body = b"<html><body>Bad gateway</body></html>";
        let e = api_error(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body, 1);
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
        let api = e.api().unwrap();
        assert_eq!(api.code, None);
        assert_eq!(
            api.body_snippet.as_deref(),
            Some("<html><body>Bad gateway</body></html>")
        );
        assert!(e.to_string().starts_with("502 Bad Gateway: "), "{e}");
    }
}
