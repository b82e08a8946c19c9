//! Drives `examples/axum_webhooks.rs` over HTTP with a genuine delivery (signed here with `ring`)
//! and forged ones.

#[path = "../examples/axum_webhooks.rs"]
mod example;
mod support;

use liveblocks::webhooks::{WebhookEvent, WebhookHandler};
use std::time::{SystemTime, UNIX_EPOCH};
use support::webhooks::{secret_of, sign};
use tokio::sync::mpsc;

const KEY: &[u8] = b"axum example key";

#[tokio::test]
async fn genuine_deliveries_get_200_and_forged_ones_a_bare_400() {
    let handler = WebhookHandler::new(&secret_of(KEY)).unwrap();
    let (sender, mut events) = mpsc::channel(8);
    let app = example::router(handler, sender);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/api/liveblocks-webhooks",
        listener.local_addr().unwrap()
    );
    let serving = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();

    let body = br#"{"type":"storageUpdated","data":{"projectId":"p1","roomId":"room-9","updatedAt":"2025-01-01T00:00:00.000Z"}}"#;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let signature = sign(KEY, "msg_1", &now, body);

    let response = http
        .post(&url)
        .header("Webhook-Id", "msg_1")
        .header("Webhook-Timestamp", &now)
        .header("Webhook-Signature", &signature)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    match events.recv().await.unwrap() {
        WebhookEvent::StorageUpdated(data) => assert_eq!(data.room_id, "room-9"),
        other => panic!("{other:?}"),
    }

    // Same headers, body changed by one character: forged.
    let forged = String::from_utf8(body.to_vec())
        .unwrap()
        .replace("room-9", "room-8");
    let response = http
        .post(&url)
        .header("webhook-id", "msg_1")
        .header("webhook-timestamp", &now)
        .header("webhook-signature", &signature)
        .body(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.text().await.unwrap(), "", "no detail echoed");

    // No signature at all.
    let response = http
        .post(&url)
        .header("webhook-id", "msg_2")
        .header("webhook-timestamp", &now)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.text().await.unwrap(), "");

    assert!(
        events.try_recv().is_err(),
        "no forged event reached the app"
    );
    serving.abort();
}
