//! Bad input and bad answers: each gives its documented error variant, never a panic.

mod support;

use liveblocks::{Client, Error};
use serde_json::json;
use support::*;

#[test]
fn invalid_secrets_are_refused_at_construction() {
    for bad in [
        "",
        "pk_prod_123",
        "sk_",
        "sk_has space",
        "sk_line\nbreak",
        "sk_quote\"",
    ] {
        let err = Client::new(bad).expect_err(bad);
        assert!(matches!(err, Error::Config(_)), "{bad:?}: {err:?}");
        if bad.len() > 3 {
            assert!(
                !err.to_string().contains(bad),
                "the secret must not be echoed: {err}"
            );
        }
    }
    let err = Client::builder().build().unwrap_err();
    assert!(err.to_string().contains("no credential"), "{err}");
    let err = Client::builder()
        .secret_key("sk_ok")
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn empty_and_missing_path_parameters_send_nothing() {
    let server = MockServer::start().await;
    respond(&server, json(200, json!({}))).await;
    let client = wire_client(&server);

    let err = client.get_room().room_id("").send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("roomId")),
        "{err:?}"
    );
    let err = client.get_room().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::MissingField { operation: "get_room", field, location: liveblocks::FieldLocation::Parameter } if field == "room_id"),
        "{err:?}"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "no request may be sent"
    );
}

#[tokio::test]
async fn room_ids_are_percent_encoded_and_round_trip() {
    let server = MockServer::start().await;
    let id = "a/b c?d#é";
    respond(&server, json(200, room_json(id))).await;
    let room = wire_client(&server)
        .get_room()
        .room_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(room.id, id);
    let request = only_request(&server).await;
    assert_request(&request, "GET", "/v2/rooms/a%2Fb%20c%3Fd%23%C3%A9");
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn api_errors_carry_status_code_message_and_request_id() {
    let server = MockServer::start().await;
    let body = json!({
        "error": "ROOM_NOT_FOUND",
        "message": "Room 'x' was not found",
        "suggestion": "Create the room first",
        "docs": "https://liveblocks.io/docs/api-reference/rest-api-endpoints"
    });
    respond(
        &server,
        json(404, body).insert_header("x-request-id", "req_42"),
    )
    .await;
    let err = wire_client(&server)
        .get_room()
        .room_id("x")
        .send()
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code.as_deref(), Some("ROOM_NOT_FOUND"));
    assert_eq!(api.suggestion.as_deref(), Some("Create the room first"));
    assert_eq!(api.request_id.as_deref(), Some("req_42"));
    assert_eq!(api.attempts, 1);
    assert!(err.is_not_found());
    assert_eq!(
        err.to_string(),
        "404 ROOM_NOT_FOUND: Room 'x' was not found (suggestion: Create the room first) \
         (docs: https://liveblocks.io/docs/api-reference/rest-api-endpoints) [request id req_42]"
    );
}

#[tokio::test]
async fn a_500_with_an_html_body_keeps_its_status() {
    let server = MockServer::start().await;
    let html = "<html><head><title>500</title></head><body>Internal error</body></html>";
    respond(
        &server,
        ResponseTemplate::new(500).set_body_raw(html, "text/html"),
    )
    .await;
    let err = wire_client(&server)
        .delete_room()
        .room_id("r")
        .send()
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.code, None);
    assert_eq!(api.body_snippet.as_deref(), Some(html));
    assert!(
        err.to_string().starts_with("500 Internal Server Error: "),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_json_body_is_a_decode_error_with_a_snippet() {
    let server = MockServer::start().await;
    let truncated = r#"{"type":"room","id":"r1","defaultAcc"#;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_raw(truncated, "application/json"),
    )
    .await;
    let err = wire_client(&server)
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            status,
            snippet,
            message,
            attempts,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(attempts, 1);
            assert_eq!(snippet, truncated);
            assert!(message.contains("EOF"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = support::tools::free_port().unwrap();
    let client = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_base_delay(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    let err = client.get_room().room_id("r").send().await.unwrap_err();
    // Nothing was sent, so the default policy retries 3 times.
    assert!(
        matches!(
            err,
            Error::Transport {
                attempts: 4,
                sent: false,
                status: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.request_sent(), Some(false));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "could not connect to the Liveblocks API: nothing was sent (4 attempt(s)): "
        ),
        "{text}"
    );
    assert!(
        text.contains("Connection refused"),
        "the root cause is in the message: {text}"
    );
    assert!(
        !format!("{err:?}").contains(WIRE_SECRET),
        "the secret must not appear in errors"
    );
}

#[tokio::test]
async fn an_undocumented_success_status_still_decodes() {
    let server = MockServer::start().await;
    respond(&server, json(201, room_json("r1"))).await;
    let room = wire_client(&server)
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap();
    assert_eq!(room.status().as_u16(), 201);
    assert_eq!(room.id, "r1");
}
