//! Access-token sessions and ID tokens on the wire.

mod support;

use liveblocks::{Error, Permission, SessionError};
use serde_json::json;
use support::*;

#[tokio::test]
async fn a_session_sends_the_exact_authorize_user_body() {
    let server = MockServer::start().await;
    respond(
        &server,
        json(200, json!({"token": "header.payload.signature"})),
    )
    .await;
    let token = wire_client(&server)
        .prepare_session("user-42")
        .user_info(
            json!({"name": "Ada", "avatar": "https://example.com/ada.png", "color": "#85BBF0"}),
        )
        .organization_id("acme")
        .allow("acme:project-1:*", Permission::FULL_ACCESS)
        .allow(
            "acme:lobby",
            [
                Permission::RoomRead,
                Permission::RoomPresenceWrite,
                Permission::CommentsRead,
            ],
        )
        .allow(
            "acme:lobby",
            [Permission::RoomRead, Permission::CommentsWrite],
        )
        .authorize()
        .await
        .unwrap();
    assert_eq!(token.token(), "header.payload.signature");

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/v2/authorize-user");
    assert_eq!(
        json_body(&request),
        json!({
            "userId": "user-42",
            "organizationId": "acme",
            "userInfo": {"name": "Ada", "avatar": "https://example.com/ada.png", "color": "#85BBF0"},
            "permissions": {
                "acme:project-1:*": ["*:write"],
                "acme:lobby": ["room:read", "room:presence:write", "comments:read", "comments:write"]
            }
        })
    );
}

#[tokio::test]
async fn an_id_token_request_sends_the_exact_identify_user_body() {
    let server = MockServer::start().await;
    respond(&server, json(200, json!({"token": "id.token.here"}))).await;
    let token = wire_client(&server)
        .identify_user("user-42")
        .group_ids(["engineering", "design"])
        .organization_id("acme")
        .user_info(json!({"name": "Ada"}))
        .authorize()
        .await
        .unwrap();
    assert_eq!(token.into_token(), "id.token.here");
    let request = only_request(&server).await;
    assert_request(&request, "POST", "/v2/identify-user");
    assert_eq!(
        json_body(&request),
        json!({"userId": "user-42", "groupIds": ["engineering", "design"], "organizationId": "acme", "userInfo": {"name": "Ada"}})
    );
}

#[tokio::test]
async fn broken_rules_send_nothing() {
    let server = MockServer::start().await;
    respond(&server, json(200, json!({"token": "t"}))).await;
    let client = wire_client(&server);
    let cases: Vec<(Result<liveblocks::AuthToken, Error>, SessionError)> = vec![
        (
            client
                .prepare_session("")
                .allow("*", Permission::READ_ACCESS)
                .authorize()
                .await,
            SessionError::EmptyUserId,
        ),
        (
            client.prepare_session("u").authorize().await,
            SessionError::NoPermissions,
        ),
        (
            client
                .prepare_session("u")
                .allow("*room*", Permission::READ_ACCESS)
                .authorize()
                .await,
            SessionError::InvalidRoomPattern {
                pattern: "*room*".into(),
            },
        ),
        (
            client
                .prepare_session("u")
                .allow("room", [])
                .authorize()
                .await,
            SessionError::EmptyPermissions {
                pattern: "room".into(),
            },
        ),
        (
            client.identify_user("").authorize().await,
            SessionError::EmptyUserId,
        ),
    ];
    for (result, expected) in cases {
        match result {
            Err(Error::Session(actual)) => assert_eq!(actual, expected),
            other => panic!("expected {expected:?}, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_api_refusal_reaches_the_browser_with_its_status_code_and_message() {
    let server = MockServer::start().await;
    respond(
        &server,
        json(
            403,
            json!({"error": "FORBIDDEN", "message": "Secret key revoked"}),
        ),
    )
    .await;
    let result = wire_client(&server)
        .prepare_session("u")
        .allow("*", Permission::READ_ACCESS)
        .authorize()
        .await;
    match &result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 403);
            assert_eq!(e.message.as_deref(), Some("Secret key revoked"));
        }
        other => panic!("expected the API error, got {other:?}"),
    }
    assert_request(&only_request(&server).await, "POST", "/v2/authorize-user");
    let response = liveblocks::auth_response(result);
    assert_eq!(response.status(), 403);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.body(),
        r#"{"error":"FORBIDDEN","message":"Secret key revoked"}"#
    );
    assert!(!response.body().contains(WIRE_SECRET));
}

#[tokio::test]
async fn an_identify_user_refusal_keeps_its_status_and_message() {
    let server = MockServer::start().await;
    respond(
        &server,
        json(
            401,
            json!({"error": "INVALID_SECRET_KEY", "message": "The secret key is not valid for this project"}),
        ),
    )
    .await;
    let result = wire_client(&server)
        .identify_user("u")
        .group_ids(["g"])
        .authorize()
        .await;
    assert_request(&only_request(&server).await, "POST", "/v2/identify-user");
    let response = liveblocks::auth_response(result);
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.body(),
        r#"{"error":"INVALID_SECRET_KEY","message":"The secret key is not valid for this project"}"#
    );
}

#[tokio::test]
async fn a_refusal_without_a_message_and_a_server_failure() {
    let server = MockServer::start().await;
    respond(
        &server,
        ResponseTemplate::new(404).set_body_string("not json"),
    )
    .await;
    let response =
        liveblocks::auth_response(wire_client(&server).identify_user("u").authorize().await);
    assert_eq!(response.status(), 404);
    assert_eq!(response.body(), r#"{"error":"error"}"#);

    let server = MockServer::start().await;
    respond(
        &server,
        json(
            500,
            json!({"error": "INTERNAL", "message": "stack trace here"}),
        ),
    )
    .await;
    let client = liveblocks::Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let response = liveblocks::auth_response(
        client
            .prepare_session("u")
            .allow("*", Permission::READ_ACCESS)
            .authorize()
            .await,
    );
    assert_eq!(response.status(), 502);
    assert_eq!(
        response.body(),
        r#"{"error":"upstream"}"#,
        "a server failure's details stay in the back end"
    );
}

#[test]
fn permissions_decode_forward_compatibly() {
    let decoded: Vec<Permission> =
        serde_json::from_value(json!(["room:write", "room:admin"])).unwrap();
    assert_eq!(
        decoded,
        vec![
            Permission::RoomWrite,
            Permission::Unknown("room:admin".into())
        ]
    );
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!(["room:write", "room:admin"])
    );
    let all: Vec<&str> = Permission::KNOWN.iter().map(Permission::as_str).collect();
    assert_eq!(all.len(), 20, "{all:?}");
}
