//! The single place every request passes through: credentials, user agent, timeout, retries,
//! tracing, server warnings, and the per-call bookkeeping that errors report.
//!
//! Flow of one call: the generated builder builds a `reqwest::Request`, [`ClientHooks::pre`]
//! adds the credential, user agent and timeout and checks path parameters,
//! [`ClientHooks::exec`] sends it (retrying per [`crate::RetryPolicy`]) inside a
//! `liveblocks.request` span, and `response.rs` turns the answer into a value or an error.

use std::time::Instant;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, USER_AGENT};
use tracing::Instrument;

use crate::client::{Client, Inner};
use crate::retry::Outcome;
use crate::{operation, response};

impl ClientHooks<Inner> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let meta = operation::lookup(info.operation_id);
        if let Some(meta) = meta {
            check_path_parameters(meta, request.url().path())
                .map_err(progenitor_client::Error::InvalidRequest)?;
        }
        let management = meta.is_some_and(|op| op.management);
        let authenticated = meta.is_none_or(|op| op.authenticated);
        let headers = request.headers_mut();
        if authenticated {
            let authorization = self.inner.authorization(management).ok_or_else(|| {
                progenitor_client::Error::Custom("the client has no credential".into())
            })?;
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        headers.insert(USER_AGENT, self.inner.user_agent().clone());
        if let Some(timeout) = self.inner.request_timeout()
            && request.timeout().is_none()
        {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let meta = operation::lookup(info.operation_id);
        let span = tracing::info_span!(
            "liveblocks.request",
            operation = info.operation_id,
            method = %request.method(),
            path = meta.map_or("", |m| m.path),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let idempotent = meta.is_some_and(|m| m.is_idempotent(request.url()));
        self.send_with_retries(request, idempotent)
            .instrument(span)
            .await
    }
}

impl Client {
    /// Sends a request, retrying as the client's [`RetryPolicy`](crate::RetryPolicy) allows.
    /// Runs inside the request's span.
    async fn send_with_retries(
        &self,
        mut request: reqwest::Request,
        idempotent: bool,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = self.inner.retry_policy();
        let started = Instant::now();
        let span = tracing::Span::current();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            response::record_attempt();
            // A body that cannot be cloned (a stream) is sent once.
            let spare = if attempt <= policy.max_retries {
                request.try_clone()
            } else {
                None
            };
            let attempt_started = Instant::now();
            let result = self.client.execute(request).await;
            let outcome = match &result {
                Ok(response) => {
                    response::record_status(response.status());
                    warn_from_server(response);
                    Outcome::Status(response.status())
                }
                Err(e) if e.is_connect() => Outcome::ConnectFailed,
                Err(_) => Outcome::FailedAfterSend,
            };
            tracing::debug!(
                attempt,
                outcome = ?outcome,
                elapsed_ms = attempt_started.elapsed().as_millis() as u64,
                "liveblocks attempt finished"
            );
            let retry = match spare {
                Some(spare) if policy.should_retry(attempt, outcome, idempotent) => Some(spare),
                _ => None,
            };
            let Some(spare) = retry else {
                if let Ok(response) = &result {
                    span.record("status", response.status().as_u16());
                }
                span.record("attempts", attempt);
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                return result;
            };
            let delay = policy.delay(
                attempt,
                result.as_ref().ok().map(reqwest::Response::headers),
            );
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, outcome = ?outcome, "retrying");
            drop(result);
            tokio::time::sleep(delay).await;
            request = spare;
        }
    }
}

/// The API reports deprecations and misuse in `X-LB-Warn`; surface it as a warning event.
fn warn_from_server(response: &reqwest::Response) {
    for value in response.headers().get_all("x-lb-warn") {
        let warning = String::from_utf8_lossy(value.as_bytes());
        tracing::warn!(warning = %warning, "the Liveblocks API sent a warning (X-LB-Warn)");
    }
}

/// Refuses a request whose path has an empty parameter (`room_id("")` would otherwise address
/// another endpoint, e.g. `GET /v2/rooms/` lists rooms).
fn check_path_parameters(meta: &operation::OperationMeta, path: &str) -> Result<(), String> {
    // This runs on every request: no allocation, and a quick exit for the usual case.
    let slashes = |s: &str| s.bytes().filter(|&b| b == b'/').count();
    if slashes(path) < slashes(meta.path) {
        return Err(format!(
            "{}: the request path {path:?} is shorter than {}",
            meta.id, meta.path
        ));
    }
    // An empty segment shows as `//` or a trailing `/`; without either, nothing is empty.
    if !path.ends_with('/') && !path.as_bytes().windows(2).any(|w| w == b"//") {
        return Ok(());
    }
    // Compared from the end: the base URL may add a prefix.
    // Report the leftmost empty parameter, as reading the path would find it.
    let mut empty = None;
    for (segment, value) in meta.path.rsplit('/').zip(path.rsplit('/')) {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
            && value.is_empty()
        {
            empty = Some(name);
        }
    }
    match empty {
        Some(name) => Err(format!(
            "{}: the path parameter `{name}` must not be empty",
            meta.id
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_path_parameters_are_refused() {
        let meta = operation::OperationMeta {
            id: "get_room",
            path: "/v2/rooms/{roomId}",
            idempotent: true,
            idempotent_if_query: None,
            management: false,
            authenticated: true,
        };
        assert!(check_path_parameters(&meta, "/prefix/v2/rooms/abc").is_ok());
        assert!(check_path_parameters(&meta, "/v2/rooms/a%2Fb").is_ok());
        let err = check_path_parameters(&meta, "/v2/rooms/").unwrap_err();
        assert!(err.contains("`roomId` must not be empty"), "{err}");
        let err = check_path_parameters(&meta, "/v2").unwrap_err();
        assert!(err.contains("is shorter than /v2/rooms/{roomId}"), "{err}");
        let two = operation::OperationMeta {
            path: "/v2/rooms/{roomId}/threads/{threadId}",
            ..meta
        };
        assert!(check_path_parameters(&two, "/v2/rooms/r/threads/t").is_ok());
        let err = check_path_parameters(&two, "/v2/rooms//threads/").unwrap_err();
        assert!(err.contains("`roomId` must not be empty"), "{err}");
        let err = check_path_parameters(&two, "/v2/rooms/r/threads/").unwrap_err();
        assert!(err.contains("`threadId` must not be empty"), "{err}");
    }
}
