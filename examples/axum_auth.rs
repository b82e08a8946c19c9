//! An axum auth endpoint for Liveblocks front ends: `POST /api/liveblocks-auth` answers
//! `{"token": "..."}` for the signed-in user.
//!
//! Run against a local dev server: start one (`cargo xtask quickstart` shows how), then
//! `LIVEBLOCKS_SECRET_KEY=sk_localdev LIVEBLOCKS_BASE_URL=http://127.0.0.1:1153 cargo run --example axum_auth`
//! and `curl -X POST -H 'x-user-id: ada' http://127.0.0.1:3000/api/liveblocks-auth`.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use liveblocks::{Client, Permission, auth_response};

/// The router: one auth route, sharing the Liveblocks client.
pub fn app(client: Client) -> Router {
    Router::new()
        .route("/api/liveblocks-auth", post(liveblocks_auth))
        .with_state(client)
}

/// Who is calling? A real app checks its own session cookie or bearer token here; this example
/// trusts an `x-user-id` header so that it stays self-contained.
fn signed_in_user(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-user-id")?
        .to_str()
        .ok()
        .filter(|id| !id.is_empty())
}

async fn liveblocks_auth(State(client): State<Client>, headers: HeaderMap) -> Response {
    let Some(user_id) = signed_in_user(&headers) else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    // The three lines of an auth route: a session, its rooms, the answer.
    let session = client
        .prepare_session(user_id)
        .user_info(serde_json::json!({ "name": user_id }))
        .allow(format!("{user_id}:*"), Permission::FULL_ACCESS)
        .allow("lobby", Permission::READ_ACCESS);
    auth_response(session.authorize().await).into_response()
}

#[allow(dead_code)] // the tests include this file for `app` only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("POST http://{}/api/liveblocks-auth", listener.local_addr()?);
    axum::serve(listener, app(client)).await?;
    Ok(())
}
