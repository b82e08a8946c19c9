//! Turns what the generated code returns into `liveblocks::Error` or a success value.
//!
//! The generated `send()` of every operation calls one of the `finish_*` functions below (chosen
//! by `codegen/` from the success type). Error responses are not in the generated code at all, so
//! every non-success status reaches this module with its body unread; the status is kept even
//! when the body is not JSON. A 2xx the spec does not list still counts as success when the body
//! decodes.

use std::cell::Cell;
use std::future::Future;

use bytes::Bytes;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Error, snippet};

type RawError = progenitor_client::Error<()>;

/// Bytes of a body kept in error messages.
const SNIPPET_CHARS: usize = 200;

/// Per-call facts the hooks record while the generated code runs.
#[derive(Debug, Default)]
pub(crate) struct CallState {
    /// Attempts made so far.
    pub attempts: Cell<u32>,
    /// Status of the last response received.
    pub status: Cell<Option<StatusCode>>,
}

tokio::task_local! {
    static CALL: CallState;
}

/// Records one attempt (called by the hooks for every request sent).
pub(crate) fn record_attempt() {
    let _ = CALL.try_with(|c| c.attempts.set(c.attempts.get() + 1));
}

/// Records the status of a response (called by the hooks).
pub(crate) fn record_status(status: StatusCode) {
    let _ = CALL.try_with(|c| c.status.set(Some(status)));
}

async fn run<T>(
    fut: impl Future<Output = Result<ResponseValue<T>, RawError>>,
) -> (Result<ResponseValue<T>, RawError>, u32, Option<StatusCode>) {
    CALL.scope(CallState::default(), async {
        let out = fut.await;
        let (attempts, status) = CALL.with(|c| (c.attempts.get().max(1), c.status.get()));
        (out, attempts, status)
    })
    .await
}

/// Finishes an operation whose success body is JSON.
///
/// The generated request future is large (builder, request, hooks, retry state, body reading).
/// It is boxed once here, so that the futures built on top of it, and every move of them by the
/// caller or the runtime, stay small: without the box each layer stored and copied a full-size
/// copy (a profile showed about 10% more instructions per `get_room` than plain reqwest, almost
/// all of it `memcpy` of nested futures).
pub(crate) fn finish_json<T: DeserializeOwned>(
    fut: impl Future<Output = Result<ResponseValue<T>, RawError>>,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> {
    finish_json_boxed(Box::pin(fut))
}

async fn finish_json_boxed<T: DeserializeOwned>(
    fut: impl Future<Output = Result<ResponseValue<T>, RawError>>,
) -> Result<ResponseValue<T>, Error> {
    let (result, attempts, status) = run(fut).await;
    match result {
        Ok(value) => Ok(value),
        Err(RawError::UnexpectedResponse(response)) => {
            let (status, headers, body) = read(response, attempts).await?;
            if !status.is_success() {
                return Err(api_error(status, &headers, &body, attempts));
            }
            let value = serde_json::from_slice(if body.is_empty() { b"null" } else { &body })
                .map_err(|e| decode_error(status, &e, &body))?;
            Ok(ResponseValue::new(value, status, headers))
        }
        Err(other) => Err(convert(other, attempts, status)),
    }
}

/// Finishes an operation with no success body (204 and friends). Boxes the generated future
/// once, like [`finish_json`].
pub(crate) fn finish_empty(
    fut: impl Future<Output = Result<ResponseValue<()>, RawError>>,
) -> impl Future<Output = Result<ResponseValue<()>, Error>> {
    finish_empty_boxed(Box::pin(fut))
}

async fn finish_empty_boxed(
    fut: impl Future<Output = Result<ResponseValue<()>, RawError>>,
) -> Result<ResponseValue<()>, Error> {
    let (result, attempts, status) = run(fut).await;
    match result {
        Ok(value) => Ok(value),
        Err(RawError::UnexpectedResponse(response)) => {
            let (status, headers, body) = read(response, attempts).await?;
            if status.is_success() {
                Ok(ResponseValue::new((), status, headers))
            } else {
                Err(api_error(status, &headers, &body, attempts))
            }
        }
        Err(other) => Err(convert(other, attempts, status)),
    }
}

/// Finishes an operation whose success body is binary or text (returned as a stream). Boxes the
/// generated future once, like [`finish_json`].
pub(crate) fn finish_stream(
    fut: impl Future<Output = Result<ResponseValue<ByteStream>, RawError>>,
) -> impl Future<Output = Result<ResponseValue<ByteStream>, Error>> {
    finish_stream_boxed(Box::pin(fut))
}

async fn finish_stream_boxed(
    fut: impl Future<Output = Result<ResponseValue<ByteStream>, RawError>>,
) -> Result<ResponseValue<ByteStream>, Error> {
    let (result, attempts, status) = run(fut).await;
    match result {
        Ok(value) => Ok(value),
        Err(RawError::UnexpectedResponse(response)) => {
            if response.status().is_success() {
                return Ok(ResponseValue::stream(response));
            }
            let (status, headers, body) = read(response, attempts).await?;
            Err(api_error(status, &headers, &body, attempts))
        }
        Err(other) => Err(convert(other, attempts, status)),
    }
}

async fn read(
    response: reqwest::Response,
    attempts: u32,
) -> Result<(StatusCode, HeaderMap, Bytes), Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| Error::from_reqwest(e, attempts))?;
    Ok((status, headers, body))
}

fn convert(error: RawError, attempts: u32, status: Option<StatusCode>) -> Error {
    match error {
        RawError::InvalidRequest(message) | RawError::Custom(message) => {
            Error::InvalidArgument(message)
        }
        RawError::CommunicationError(e)
        | RawError::InvalidUpgrade(e)
        | RawError::ResponseBodyError(e) => Error::from_reqwest(e, attempts),
        RawError::InvalidResponsePayload(body, e) => {
            decode_error(status.unwrap_or(StatusCode::OK), &e, &body)
        }
        RawError::ErrorResponse(value) => api_error(value.status(), value.headers(), &[], attempts),
        RawError::UnexpectedResponse(response) => {
            // Unreachable through the finish_* functions, which read the body first.
            api_error(response.status(), response.headers(), &[], attempts)
        }
    }
}

fn decode_error(status: StatusCode, error: &serde_json::Error, body: &[u8]) -> Error {
    Error::Decode {
        status,
        message: error.to_string(),
        snippet: snippet(body, SNIPPET_CHARS),
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
