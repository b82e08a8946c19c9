//! Drives `examples/axum_auth.rs` against the dev server.

mod support;

#[path = "../examples/axum_auth.rs"]
mod example;

use serde_json::{Value, json};
use support::*;

fn jwt_payload(token: &str) -> Value {
    use base64::Engine as _;
    let middle = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(middle)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn the_auth_route_answers_a_token_for_the_signed_in_user() {
    let server = devserver();
    let app = example::app(devserver_client(&server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/api/liveblocks-auth",
        listener.local_addr().unwrap()
    );
    let serving = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();

    let response = http
        .post(&url)
        .header("x-user-id", "ada")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    let payload = jwt_payload(body["token"].as_str().unwrap());
    assert_eq!(payload["uid"], "ada");
    assert_eq!(
        payload["perms"],
        json!({"ada:*": ["*:write"], "lobby": ["*:read"]})
    );

    let response = http.post(&url).send().await.unwrap();
    assert_eq!(response.status(), 401, "no user, no token");
    serving.abort();
}
