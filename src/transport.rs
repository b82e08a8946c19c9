//! The one path every request takes: checks, credential, attempts, time limits, retries,
//! tracing.
//!
//! Flow of one call: the generated builder's `build_request()` checks the arguments and builds
//! a `reqwest::Request` (its URL from `crate::path::url`); `send()` hands it to
//! [`send_json`], [`send_empty`] or [`send_stream`] with the operation's facts (an operation
//! without a body hands over `build_request` itself, to [`rebuild_json`], [`rebuild_empty`] or
//! [`rebuild_stream`], so that a retry builds its request again from the arguments instead of
//! every call copying the request in advance), which
//!
//! 1. refuse it unless its final URL and method are the operation's own (`crate::path::check`)
//!    and a Tokio runtime is running, and only then add the credential and user agent;
//! 2. run attempts until one gives an answer to keep, reading the whole body inside the attempt
//!    (for byte streams: the first chunk), so a reset, a cut or a stall while the body arrives is
//!    retried like one before the headers; each attempt is limited by the attempt timeout and
//!    the whole call by its deadline, and no wait is started that would end after it;
//! 3. turn the answer into a value or a `liveblocks::Error` (`crate::response`).

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt as _;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, USER_AGENT};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::client::Client;
use crate::error::{Error, FieldLocation, TimeoutKind};
use crate::operation::OperationMeta;
use crate::retry::{self, Outcome};
use crate::{path, response};

/// What a generated `build_request()` returns.
pub(crate) type Built<'a> = Result<(&'a Client, reqwest::Request), progenitor_client::Error<()>>;

/// A generated `build_request(&self)` of an operation without a body, on its builder: it builds
/// the same request every time it is called, so a retry calls it again instead of every call
/// copying the request before its first attempt.
pub(crate) type Rebuild<'f, 'a> = &'f (dyn Fn() -> Built<'a> + Sync);

/// Sends a built request: steps 1 to 3, `decode` (one of `crate::response`'s, a zero-sized
/// function item, called directly) being step 3.
async fn send<R: ReadBody, T>(
    built: Built<'_>,
    op: &'static OperationMeta,
    decode: impl FnOnce(Answer<R::Body>) -> Result<T, Error>,
) -> Result<T, Error> {
    let (client, request) = prepare(built, op)?;
    decode(client.execute::<R>(request, None, op).await?)
}

/// [`send`] for an operation without a body: `build` builds its request from `builder`, once
/// for the first attempt and again for each retry.
async fn rebuild<'a, B: Sync, R: ReadBody, T>(
    builder: B,
    build: fn(&B) -> Built<'a>,
    op: &'static OperationMeta,
    decode: impl FnOnce(Answer<R::Body>) -> Result<T, Error>,
) -> Result<T, Error> {
    // The error is progenitor's, as `build_request` returns it (boxed nowhere else either).
    #[allow(clippy::result_large_err)]
    let again = || build(&builder);
    let (client, request) = prepare(again(), op)?;
    decode(client.execute::<R>(request, Some(&again), op).await?)
}

// The entry points the generated `send()`s call: plain functions returning the future of
// `send`/`rebuild` (an `async fn` here would wrap it in one more future).

/// Sends an operation whose success body is JSON and decodes it.
pub(crate) fn send_json<'a, T: DeserializeOwned + 'a>(
    built: Built<'a>,
    op: &'static OperationMeta,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a {
    send::<Whole, _>(built, op, response::json)
}

/// [`send_json`] for an operation without a body, built again for a retry.
pub(crate) fn rebuild_json<'a, B: Sync + 'a, T: DeserializeOwned + 'a>(
    builder: B,
    build: fn(&B) -> Built<'a>,
    op: &'static OperationMeta,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a {
    rebuild::<_, Whole, _>(builder, build, op, response::json)
}

/// Sends an operation without a success body (204 and friends).
pub(crate) fn send_empty<'a>(
    built: Built<'a>,
    op: &'static OperationMeta,
) -> impl Future<Output = Result<ResponseValue<()>, Error>> + 'a {
    send::<Whole, _>(built, op, response::empty)
}

/// [`send_empty`] for an operation without a body, built again for a retry.
pub(crate) fn rebuild_empty<'a, B: Sync + 'a>(
    builder: B,
    build: fn(&B) -> Built<'a>,
    op: &'static OperationMeta,
) -> impl Future<Output = Result<ResponseValue<()>, Error>> + 'a {
    rebuild::<_, Whole, _>(builder, build, op, response::empty)
}

/// Sends an operation whose success body is binary or text, returned as a stream.
// Every byte-stream operation of the current spec is without a body (`rebuild_stream`).
#[allow(dead_code)]
pub(crate) fn send_stream<'a>(
    built: Built<'a>,
    op: &'static OperationMeta,
) -> impl Future<Output = Result<ResponseValue<ByteStream>, Error>> + 'a {
    send::<Streamed, _>(built, op, response::stream)
}

/// [`send_stream`] for an operation without a body, built again for a retry.
pub(crate) fn rebuild_stream<'a, B: Sync + 'a>(
    builder: B,
    build: fn(&B) -> Built<'a>,
    op: &'static OperationMeta,
) -> impl Future<Output = Result<ResponseValue<ByteStream>, Error>> + 'a {
    rebuild::<_, Streamed, _>(builder, build, op, response::stream)
}

/// How an attempt reads the body of an answer, inside the attempt.
pub(crate) trait ReadBody {
    /// What the answer holds.
    type Body: Send;
    /// Whether the caller reads part of the body after the call returns (the deadline then
    /// bounds that too).
    const STREAMS: bool;
    /// Reads the body of `response`; `keep` is false for answers that end in an error
    /// (those are always read whole).
    fn read(
        response: reqwest::Response,
        keep: bool,
    ) -> impl Future<Output = reqwest::Result<Self::Body>> + Send;
}

/// The whole body, read before the call returns.
pub(crate) struct Whole;

impl ReadBody for Whole {
    type Body = Bytes;
    const STREAMS: bool = false;

    // Not an `async fn`: that would hold the response beside the future that owns it.
    fn read(
        response: reqwest::Response,
        _keep: bool,
    ) -> impl Future<Output = reqwest::Result<Bytes>> + Send {
        response.bytes()
    }
}

/// A byte stream: a successful answer's first chunk is read inside the attempt (so a failure
/// before it is retried), the rest as the caller reads; other answers are read whole.
pub(crate) struct Streamed;

/// The body of a byte-stream answer.
pub(crate) enum StreamBody {
    /// A successful answer, handed to the caller.
    Stream(ByteStream),
    /// An answer that ends in an error, read whole.
    Bytes(Bytes),
}

impl ReadBody for Streamed {
    type Body = StreamBody;
    const STREAMS: bool = true;

    async fn read(mut response: reqwest::Response, keep: bool) -> reqwest::Result<StreamBody> {
        if !keep {
            return response.bytes().await.map(StreamBody::Bytes);
        }
        let first = response.chunk().await?;
        let rest = response.bytes_stream();
        Ok(StreamBody::Stream(ByteStream::new(Box::pin(
            futures::stream::iter(first.map(Ok)).chain(rest),
        ))))
    }
}

/// The answer an exchange ended with.
pub(crate) struct Answer<B> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: B,
    pub attempts: u32,
    /// Where the answer came from when a caller-supplied HTTP client followed a redirect.
    pub redirected_to: Option<String>,
}

/// Step 1: the request is the operation's own, a runtime is running; then the credential.
fn prepare<'a>(
    built: Built<'a>,
    op: &'static OperationMeta,
) -> Result<(&'a Client, reqwest::Request), Error> {
    let (client, mut request) = built.map_err(|e| match e {
        progenitor_client::Error::InvalidRequest(message)
        | progenitor_client::Error::Custom(message) => match missing_field(&message) {
            Some((field, location)) => Error::MissingField {
                operation: op.id,
                field,
                location,
            },
            None => Error::InvalidArgument(format!("{}: {message}", op.id)),
        },
        other => Error::InvalidArgument(format!("{}: could not build the request: {other}", op.id)),
    })?;
    path::check(&request, &client.baseurl, client.inner.base_path_len, op)
        .map_err(Error::InvalidArgument)?;
    // reqwest and the timers need Tokio; without it they would panic.
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(Error::NoRuntime);
    }
    let headers = request.headers_mut();
    if op.authenticated {
        let authorization = client.inner.authorization(op.management).ok_or_else(|| {
            Error::Config("the client has no credential for this operation".into())
        })?;
        headers.insert(AUTHORIZATION, authorization.clone());
    }
    headers.insert(USER_AGENT, client.inner.user_agent().clone());
    Ok((client, request))
}

/// The required argument a builder's message says was not set, if that is what it says: the
/// generated builders report a path or query parameter as `room_id was not initialized` (a body
/// without a field builder as `body was not initialized`), and a body field (typify's body
/// builders) as `no value supplied for id`, which `.body(builder)` prefixes with
/// ``conversion to `CreateRoomRequestBody` for body failed: ``. The name is the setter's.
fn missing_field(message: &str) -> Option<(String, FieldLocation)> {
    let setter = |name: &str| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(name) = message.strip_suffix(" was not initialized")
        && setter(name)
    {
        // `body` is the builder's setter of the whole body, never a parameter's (parameters
        // are named after the spec's, and no operation has one called `body`).
        let location = if name == "body" {
            FieldLocation::Body
        } else {
            FieldLocation::Parameter
        };
        return Some((name.to_owned(), location));
    }
    let body = match message.split_once(" for body failed: ") {
        Some((head, rest)) if head.starts_with("conversion to `") => rest,
        _ => message,
    };
    body.strip_prefix("no value supplied for ")
        .filter(|name| setter(name))
        .map(|name| (name.to_owned(), FieldLocation::BodyField))
}

/// How one attempt failed.
enum Failure {
    /// The HTTP client failed; `status` is set when the headers had arrived.
    Http {
        error: reqwest::Error,
        status: Option<StatusCode>,
    },
    /// A time limit ran out; `status` is set when the headers had arrived.
    TimedOut {
        kind: TimeoutKind,
        limit: Duration,
        status: Option<StatusCode>,
    },
}

impl Failure {
    fn outcome(&self) -> Outcome {
        match self {
            Failure::Http {
                error,
                status: None,
            } if error.is_connect() => Outcome::ConnectFailed,
            _ => Outcome::FailedAfterSend,
        }
    }

    fn into_error(self, attempts: u32, connect_timeout: Option<Duration>) -> Error {
        match self {
            Failure::Http { error, status } => {
                Error::from_reqwest(error, attempts, status, connect_timeout)
            }
            Failure::TimedOut {
                kind,
                limit,
                status,
            } => Error::Timeout {
                kind,
                limit: Some(limit),
                attempts,
                status,
                source: None,
            },
        }
    }
}

impl Client {
    /// Step 2: attempts until an answer to keep, under the retry policy and the time limits.
    ///
    /// The request of a retry is `rebuild`'s, prepared again (step 1), or, without `rebuild`, a
    /// copy of the request made before the attempt that may be followed by one.
    async fn execute<R: ReadBody>(
        &self,
        mut request: reqwest::Request,
        rebuild: Option<Rebuild<'_, '_>>,
        op: &'static OperationMeta,
    ) -> Result<Answer<R::Body>, Error> {
        let inner = &self.inner;
        let policy = inner.retry_policy();
        let started = Instant::now();
        let deadline = started.checked_add(inner.deadline);
        let idempotent = op.is_idempotent(request.url());
        let span = tracing::info_span!(
            "liveblocks.request",
            operation = op.id,
            method = %op.method,
            path = op.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let exchange = async {
            let mut attempt = 0u32;
            loop {
                attempt += 1;
                // A body that cannot be cloned (a stream) is sent once. A request that can be
                // built again needs no copy in advance.
                // Boxed: the call's future stays small when there is none.
                let spare = if rebuild.is_none() && attempt <= policy.max_retries {
                    request.try_clone().map(Box::new)
                } else {
                    None
                };
                // The first attempt starts now: no second clock reading for it.
                let remaining = if attempt == 1 {
                    inner.deadline
                } else {
                    time_left(deadline)
                };
                // The attempt ends at its own limit or at the deadline, whichever comes first;
                // an error names the limit as configured.
                let (limit, kind, configured) = if inner.attempt_timeout < remaining {
                    let limit = inner.attempt_timeout;
                    (limit, TimeoutKind::Attempt, limit)
                } else {
                    (remaining, TimeoutKind::Deadline, inner.deadline)
                };
                if R::STREAMS && deadline.is_some() {
                    // The caller reads a stream after this returns: the deadline bounds it too.
                    *request.timeout_mut() = Some(remaining);
                }
                let mut status = None;
                // Read only when the per-attempt debug event is wanted.
                let attempt_started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
                // A caller's HTTP client may follow redirects: the answer must come from the
                // request's own URL (this crate's client follows none, so the copy is only made
                // for theirs).
                let sent_to = inner
                    .caller_http_client
                    .then(|| Box::new(request.url().clone()));
                // reqwest takes the request here (the future it returns holds only a pointer).
                let sent = self.client.execute(request);
                let timed =
                    tokio::time::timeout(limit, one_attempt::<R>(sent, sent_to, &mut status)).await;
                let result = timed.unwrap_or_else(|_| {
                    Err(Failure::TimedOut {
                        kind,
                        limit: configured,
                        status,
                    })
                });
                let outcome = match &result {
                    Ok(answer) => Outcome::Status(answer.status),
                    Err(failure) => failure.outcome(),
                };
                tracing::debug!(
                    attempt,
                    outcome = ?outcome,
                    elapsed_ms = attempt_started.map_or(0, |t| t.elapsed().as_millis() as u64),
                    "liveblocks attempt finished"
                );
                let deadline_hit = matches!(
                    result,
                    Err(Failure::TimedOut {
                        kind: TimeoutKind::Deadline,
                        ..
                    })
                );
                let can_resend = spare.is_some() || rebuild.is_some();
                let wait = if can_resend
                    && !deadline_hit
                    && policy.should_retry(attempt, outcome, idempotent)
                {
                    let asked = result
                        .as_ref()
                        .ok()
                        .and_then(|answer| retry::retry_after(&answer.headers));
                    policy.wait(attempt, asked, time_left(deadline))
                } else {
                    None
                };
                let Some(wait) = wait else {
                    return (attempt, result);
                };
                let next = match (spare, rebuild) {
                    (Some(spare), _) => *spare,
                    // The same checks as the first request's, on the request built again.
                    (None, Some(build)) => match prepare(build(), op) {
                        Ok((_, request)) => request,
                        // Not reached: the same arguments built a request a moment ago.
                        Err(_) => return (attempt, result),
                    },
                    (None, None) => return (attempt, result),
                };
                tracing::info!(
                    attempt,
                    delay_ms = wait.as_millis() as u64,
                    outcome = ?outcome,
                    "retrying"
                );
                drop(result);
                tokio::time::sleep(wait).await;
                request = next;
            }
        };
        // Without a subscriber that wants the span, the exchange is awaited as it is: no
        // wrapper to move it into and to enter on every poll.
        let (attempts, result) = if span.is_disabled() {
            exchange.await
        } else {
            exchange.instrument(span.clone()).await
        };
        if !span.is_disabled() {
            if let Ok(answer) = &result {
                span.record("status", answer.status.as_u16());
            }
            span.record("attempts", attempts);
            span.record("duration_ms", started.elapsed().as_millis() as u64);
        }
        match result {
            Ok(mut answer) => {
                answer.attempts = attempts;
                Ok(answer)
            }
            Err(failure) => Err(failure.into_error(attempts, inner.connect_timeout)),
        }
    }
}

/// One attempt: wait for the answer to the request reqwest is sending (`sent`), then read the
/// body (the first chunk of a successful stream). Sets `status` as soon as the headers arrive,
/// so a limit that runs out later still knows it. `sent_to`: the request's URL, when the HTTP
/// client may have followed a redirect.
async fn one_attempt<R: ReadBody>(
    sent: impl Future<Output = reqwest::Result<reqwest::Response>>,
    sent_to: Option<Box<reqwest::Url>>,
    status: &mut Option<StatusCode>,
) -> Result<Answer<R::Body>, Failure> {
    // The response is moved into the body's future inside this block, so that the call's
    // future does not keep room for both.
    let (code, headers, redirected_to, read) = {
        let mut response = sent.await.map_err(|error| Failure::Http {
            error,
            status: None,
        })?;
        let code = response.status();
        *status = Some(code);
        warn_from_server(response.headers());
        let redirected_to = sent_to
            .filter(|url| response.url() != &**url)
            .map(|_| response.url().to_string());
        let headers = std::mem::take(response.headers_mut());
        let keep = code.is_success() && redirected_to.is_none();
        (code, headers, redirected_to, R::read(response, keep))
    };
    let body = read.await.map_err(|error| Failure::Http {
        error,
        status: Some(code),
    })?;
    Ok(Answer {
        status: code,
        headers,
        body,
        attempts: 0,
        redirected_to,
    })
}

/// The time left before the deadline (`None`: a deadline too far to represent).
fn time_left(deadline: Option<Instant>) -> Duration {
    deadline.map_or(Duration::MAX, |d| {
        d.saturating_duration_since(Instant::now())
    })
}

/// The header the API reports deprecations and misuse in (a constant: no name to parse on every
/// answer).
const X_LB_WARN: HeaderName = HeaderName::from_static("x-lb-warn");

/// The API reports deprecations and misuse in `X-LB-Warn`; surface it as a warning event.
fn warn_from_server(headers: &HeaderMap) {
    for value in headers.get_all(&X_LB_WARN) {
        let warning = String::from_utf8_lossy(value.as_bytes());
        tracing::warn!(warning = %warning, "the Liveblocks API sent a warning (X-LB-Warn)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_are_read_from_the_builders_messages_and_nothing_else() {
        let body = |name: &str| Some((name.to_owned(), FieldLocation::BodyField));
        assert_eq!(missing_field("no value supplied for id"), body("id"));
        assert_eq!(
            missing_field(
                "conversion to `CreateRoomRequestBody` for body failed: no value supplied for type_"
            ),
            body("type_")
        );
        assert_eq!(
            missing_field("room_id was not initialized"),
            Some(("room_id".to_owned(), FieldLocation::Parameter))
        );
        assert_eq!(
            missing_field("body was not initialized"),
            Some(("body".to_owned(), FieldLocation::Body))
        );
        // A nested value, a conversion failure or free text is not a missing field.
        for other in [
            "error converting supplied value for settings: no value supplied for temperature",
            "conversion to `bool` for idempotent failed",
            "the room id was not initialized",
            "no value supplied for ",
        ] {
            assert_eq!(missing_field(other), None, "{other}");
        }
    }
}
