//! The time limits at the wire: the per-attempt timeout, the whole-call deadline, and every
//! form of `Retry-After`. Kept apart from `reliability.rs` (whose load test shares its test
//! threads) so the timings measure the client, not the other tests.

mod support;

use std::time::{Duration, Instant};

use liveblocks::{Client, Error, TimeoutKind};
use reqwest::StatusCode;
use support::WIRE_SECRET;
use support::fault::{Action, FaultServer};

const ROOM: &str = r#"{"type":"room","id":"r1","organizationId":"o","createdAt":"2024-01-01T00:00:00Z","defaultAccesses":["room:write"],"usersAccesses":{},"groupsAccesses":{},"metadata":{}}"#;

/// Scheduling noise on a loaded 2-core machine: far below every wait these tests tell apart
/// (the old behaviour overshot a 1 s deadline by 2 s and waited 10 s caps).
const NOISE: Duration = Duration::from_millis(600);

fn client(server: &FaultServer) -> liveblocks::ClientBuilder {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.base_url())
        .retry_base_delay(Duration::from_millis(1))
}

/// The whole-call deadline holds whatever the server does: hanging attempts, Retry-After
/// waits, backoff.
#[tokio::test]
async fn the_deadline_is_never_exceeded() {
    // Hanging attempts of 300 ms under a 1 s deadline: three, then the rest of the second.
    let server = FaultServer::start(|_| Action::Hang).await;
    let c = client(&server)
        .timeout(Duration::from_secs(1))
        .attempt_timeout(Duration::from_millis(300))
        .max_retries(10)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.get_room().room_id("r1").send().await.unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(1) + NOISE,
        "{took:?}"
    );
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Deadline,
                limit: Some(limit),
                ..
            } if limit == Duration::from_secs(1)
        ),
        "{err:?}"
    );
    assert!(err.attempts().unwrap() >= 4, "{err:?}");
    assert!(
        err.to_string()
            .starts_with("the deadline of the call (1s) ran out after "),
        "{err}"
    );

    // 503s with a Retry-After that fits the cap but not what is left of the deadline: the call
    // ends at once with the server's answer instead of sleeping past the deadline.
    let server =
        FaultServer::start(|_| Action::json_with(503, r#"{"error":"BUSY"}"#, "retry-after", "2"))
            .await;
    let c = client(&server)
        .timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.get_room().room_id("r1").send().await.unwrap_err();
    assert!(
        started.elapsed() < NOISE,
        "did not wait: {:?}",
        started.elapsed()
    );
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(server.count(), 1);
}

/// A Retry-After beyond the wait cap ends the call at once with the 429, which says what the
/// server asked for.
#[tokio::test]
async fn a_retry_after_the_client_will_not_honour_ends_the_call() {
    let server = FaultServer::start(|_| {
        Action::json_with(429, r#"{"error":"RATE_LIMITED"}"#, "retry-after", "86400")
    })
    .await;
    let c = client(&server).build().unwrap();
    let started = Instant::now();
    let err = c.get_room().room_id("r1").send().await.unwrap_err();
    // Retrying would have waited the 10 s cap at least once.
    assert!(
        started.elapsed() < NOISE,
        "did not wait: {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 1);
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(86400)));
    assert_eq!(err.attempts(), Some(1));
    assert!(
        err.to_string()
            .contains("(the server asked to retry after 86400s)"),
        "{err}"
    );
}

/// Every Retry-After form RFC 9110 asks recipients to accept is honoured: delay-seconds and the
/// three HTTP-date forms.
#[tokio::test]
async fn every_retry_after_form_is_honoured() {
    // (name, the chrono format of the date, or none for delay-seconds)
    let forms = [
        ("delay-seconds", None),
        ("IMF-fixdate", Some("%a, %d %b %Y %H:%M:%S GMT")),
        ("RFC 850", Some("%A, %d-%b-%y %H:%M:%S GMT")),
        ("asctime", Some("%a %b %e %H:%M:%S %Y")),
    ];
    // Servers and clients first (building a client loads the CA certificates, which would
    // stall the other runs' timers on this one thread), then the four calls at once.
    let mut setups = Vec::new();
    for (name, format) in forms {
        // Computed when the request arrives: 2.5 s from then.
        let value = move || match format {
            None => "2".to_string(),
            Some(format) => (chrono::Utc::now() + chrono::Duration::milliseconds(2500))
                .format(format)
                .to_string(),
        };
        let server = FaultServer::start(move |r| match r.index {
            0 => Action::json_with(429, "{}", "retry-after", &value()),
            _ => Action::json(200, ROOM),
        })
        .await;
        let c = client(&server).build().unwrap();
        setups.push((name, server, c));
    }
    let runs = setups.iter().map(|(name, server, c)| async move {
        let started = Instant::now();
        c.get_room()
            .room_id("r1")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let waited = started.elapsed();
        // Dates have whole seconds: 2.5 s ahead is 1.5 to 2.5 s of waiting (ignoring the
        // header would be a 1 ms backoff).
        assert!(
            waited >= Duration::from_millis(1400) && waited < Duration::from_millis(2500) + NOISE,
            "{name}: waited {waited:?}"
        );
        assert_eq!(server.count(), 2, "{name}");
    });
    futures::future::join_all(runs).await;
}
