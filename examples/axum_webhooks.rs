//! An axum endpoint receiving Liveblocks webhooks: `POST /api/liveblocks-webhooks` verifies the
//! delivery against the raw body, answers at once (200 if genuine, 400 otherwise, with no detail
//! in the response) and hands the typed event to a background task.
//!
//! `LIVEBLOCKS_WEBHOOK_SECRET=whsec_... cargo run --example axum_webhooks`, then point the
//! dashboard's webhook endpoint (through a tunnel) at `http://127.0.0.1:3000/api/liveblocks-webhooks`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use liveblocks::webhooks::{NotificationEvent, WebhookEvent, WebhookHandler};
use tokio::sync::mpsc;

#[derive(Clone)]
struct AppState {
    handler: Arc<WebhookHandler>,
    events: mpsc::Sender<WebhookEvent>,
}

/// The router: one webhook route; verified events go to `events`.
pub fn router(handler: WebhookHandler, events: mpsc::Sender<WebhookEvent>) -> Router {
    Router::new()
        .route("/api/liveblocks-webhooks", post(receive))
        .with_state(AppState {
            handler: Arc::new(handler),
            events,
        })
}

/// `Bytes` is the body exactly as received: never extract `Json` here, a re-encoded body does
/// not match its signature.
async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let event = match state.handler.verify(&headers, &body) {
        Ok(event) => event,
        Err(error) => {
            // Log why for yourself; tell the caller nothing more than "bad request".
            tracing::warn!(%error, "rejected a webhook delivery");
            return StatusCode::BAD_REQUEST;
        }
    };
    // Answer quickly and work in the background; if the queue is full, ask Liveblocks to retry.
    match state.events.try_send(event) {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

#[allow(dead_code)] // the tests include this file for `router` only
async fn process(mut events: mpsc::Receiver<WebhookEvent>) {
    while let Some(event) = events.recv().await {
        match event {
            WebhookEvent::StorageUpdated(data) => {
                println!("storage of {} changed at {}", data.room_id, data.updated_at)
            }
            WebhookEvent::Notification(NotificationEvent::Thread(data)) => {
                println!(
                    "notify {} by {} about {}",
                    data.user_id,
                    data.channel.as_str(),
                    data.thread_id
                )
            }
            other => println!("{} (not handled here)", other.event_type()),
        }
    }
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("LIVEBLOCKS_WEBHOOK_SECRET")?;
    let handler = WebhookHandler::new(&secret)?;
    let (sender, receiver) = mpsc::channel(1024);
    tokio::spawn(process(receiver));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "POST http://{}/api/liveblocks-webhooks",
        listener.local_addr()?
    );
    axum::serve(listener, router(handler, sender)).await?;
    Ok(())
}
