//! A refused token request is a `tracing` warning with the endpoint, status, code and message,
//! and never the key.
//!
//! Alone in its test binary: `tracing` caches per-callsite interest process-wide, so a
//! thread-local subscriber is only reliable when no other test runs concurrently.

mod support;

use liveblocks::{Client, Permission};
use support::fault::{Action, FaultServer};
use support::{Captured, WIRE_SECRET};

#[tokio::test]
async fn refused_token_requests_are_warnings_without_the_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = FaultServer::start(|r| match r.index {
        0 => Action::json(
            403,
            r#"{"error":"FORBIDDEN","message":"This key cannot access project p_1"}"#,
        ),
        _ => Action::json(
            401,
            r#"{"error":"INVALID_SECRET_KEY","message":"Unknown key"}"#,
        ),
    })
    .await;
    let client = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let refused = client
        .prepare_session("u")
        .allow("*", Permission::READ_ACCESS)
        .authorize()
        .await;
    assert_eq!(liveblocks::auth_response(refused).status(), 403);
    let unknown = client.identify_user("u").authorize().await;
    assert_eq!(liveblocks::auth_response(unknown).status(), 401);
    let not_sent = client.prepare_session("u").authorize().await;
    assert_eq!(liveblocks::auth_response(not_sent).status(), 403);
    assert_eq!(server.count(), 2, "the broken session is not sent");

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one warning per failure: {text}");
    assert!(lines.iter().all(|l| l.contains("WARN")), "{text}");
    for needle in [
        "endpoint=\"/v2/authorize-user\"",
        "status=403",
        "code=\"FORBIDDEN\"",
        "server_message=\"This key cannot access project p_1\"",
    ] {
        assert!(lines[0].contains(needle), "{needle} in {}", lines[0]);
    }
    for needle in [
        "endpoint=\"/v2/identify-user\"",
        "status=401",
        "code=\"INVALID_SECRET_KEY\"",
        "server_message=\"Unknown key\"",
    ] {
        assert!(lines[1].contains(needle), "{needle} in {}", lines[1]);
    }
    assert!(
        lines[2].contains("endpoint=\"/v2/authorize-user\""),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains("allows no room"), "{}", lines[2]);
    assert!(
        !text.contains(WIRE_SECRET) && !text.contains("sk_test"),
        "the secret must never be logged: {text}"
    );
}
