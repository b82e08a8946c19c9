//! Tracing: one span per request with its facts, server warnings as events, no secrets.
//!
//! Alone in its test binary: `tracing` caches per-callsite interest process-wide, so a
//! thread-local subscriber is only reliable when no other test runs concurrently.

mod support;

use liveblocks::Client;
use support::fault::{Action, FaultServer};
use support::{Captured, WIRE_SECRET};

const ROOM: &str = r#"{"type":"room","id":"r1","organizationId":"o","createdAt":"2024-01-01T00:00:00Z","defaultAccesses":["room:write"],"usersAccesses":{},"groupsAccesses":{},"metadata":{}}"#;

fn client(server: &FaultServer) -> liveblocks::ClientBuilder {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.base_url())
        .retry_base_delay(std::time::Duration::from_millis(1))
}

#[tokio::test]
async fn spans_and_server_warnings_are_traced_without_secrets_or_bodies() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = FaultServer::start(|r| match r.index {
        0 => Action::json(503, "{}"),
        _ => Action::json_with(200, ROOM, "x-lb-warn", "This endpoint is deprecated"),
    })
    .await;
    client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("This endpoint is deprecated"), "{text}");
    assert!(text.contains("operation=\"get_room\""), "{text}");
    assert!(text.contains("path=\"/v2/rooms/{roomId}\""), "{text}");
    assert!(text.contains("method=GET"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
    assert!(text.contains("duration_ms="), "{text}");
    assert!(text.contains("retrying"), "{text}");
    assert!(
        !text.contains(WIRE_SECRET),
        "the secret must never be logged: {text}"
    );
    assert!(
        !text.contains("defaultAccesses"),
        "bodies are not logged at INFO: {text}"
    );
}
