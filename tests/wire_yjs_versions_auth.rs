//! Wire tests of the Yjs (3), Version history (4) and Auth (4) operations: what each request
//! looks like on the wire (method, raw path, query, headers, JSON or binary body) and how each
//! realistic answer decodes, binary answers byte for byte; plus one API error per family.

// The deprecated legacy authorize endpoints are exercised on purpose.
#![allow(deprecated)]

mod support;

use std::collections::BTreeMap;

use liveblocks::types::{self, Permission, YjsDocumentType};
use serde_json::{Value, json};
use support::*;

/// A realistic signed token (header.payload.signature).
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

/// The start of a real Yjs update (one client, one Y.Text insert) followed by every byte value,
/// so that any text re-encoding of the binary body shows.
fn yjs_update() -> Vec<u8> {
    let mut update = vec![
        0x01, 0x01, 0xb5, 0xd6, 0xa7, 0xe2, 0x0b, 0x00, 0x04, 0x01, 0x07, b'c', b'o', b'n', b't',
        b'e', b'n', b't', 0x05, b'h', b'e', b'l', b'l', b'o', 0x00,
    ];
    update.extend(all_bytes());
    update
}

fn version(id: &str, created_at: &str, authors: &[&str]) -> Value {
    json!({
        "type": "historyVersion",
        "id": id,
        "createdAt": created_at,
        "authors": authors.iter().map(|a| json!({"id": a})).collect::<Vec<_>>(),
        "kind": "yjs"
    })
}

// ---------------------------------------------------------------------------------------------
// Yjs

#[tokio::test]
async fn get_yjs_document_sends_formatting_key_and_type_and_decodes_the_json() {
    let answer = json!([
        {"insert": "Hello ", "attributes": {"bold": true}},
        {"insert": "world"}
    ]);
    let (server, c) = serve(json(200, answer.clone())).await;
    let res = c
        .get_yjs_document()
        .room_id(TRICKY_ROOM_ID)
        .formatting(true)
        .key("rich text")
        .type_(YjsDocumentType::Ytext)
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/ydoc"),
    )
    .await;
    assert_eq!(
        request.url.query(),
        Some("formatting=true&key=rich+text&type=ytext")
    );
    assert_eq!(
        query(&request),
        pairs(&[
            ("formatting", "true"),
            ("key", "rich text"),
            ("type", "ytext")
        ])
    );
    assert_eq!(accept(&request), Some("application/json"));
    assert!(request.body.is_empty());
    assert_eq!(res.0, answer);
    assert_eq!(res[0]["attributes"]["bold"], true);
}

#[tokio::test]
async fn get_yjs_document_sends_every_type_by_its_wire_name() {
    for (kind, wire) in [
        (YjsDocumentType::Ymap, "ymap"),
        (YjsDocumentType::Ytext, "ytext"),
        (YjsDocumentType::Yxmltext, "yxmltext"),
        (YjsDocumentType::Yxmlfragment, "yxmlfragment"),
        (YjsDocumentType::Yarray, "yarray"),
    ] {
        let (server, c) = serve(json(200, json!({"someYText": "Contents of YText"}))).await;
        let res = c
            .get_yjs_document()
            .room_id("r")
            .key("k")
            .type_(kind)
            .send()
            .await
            .unwrap();
        let request = received(&server, "GET", "/v2/rooms/r/ydoc").await;
        assert_eq!(query(&request), pairs(&[("key", "k"), ("type", wire)]));
        assert_eq!(res["someYText"], "Contents of YText");
    }
    // Without parameters: no query at all, and `formatting=false` is sent when asked for.
    let (server, c) = serve(json(200, json!({}))).await;
    c.get_yjs_document().room_id("r").send().await.unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/r/ydoc").await);
    let (server, c) = serve(json(200, json!({}))).await;
    c.get_yjs_document()
        .room_id("r")
        .formatting(false)
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/r/ydoc").await;
    assert_eq!(request.url.query(), Some("formatting=false"));
}

#[tokio::test]
async fn send_yjs_binary_update_sends_the_exact_bytes_with_the_guid() {
    let update = yjs_update();
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    let res = c
        .send_yjs_binary_update()
        .room_id("my-room")
        .guid("sub doc/1")
        .body(update.clone())
        .send()
        .await
        .unwrap();
    let request = received(&server, "PUT", "/v2/rooms/my-room/ydoc").await;
    assert_eq!(request.url.query(), Some("guid=sub+doc%2F1"));
    assert_eq!(query(&request), pairs(&[("guid", "sub doc/1")]));
    assert_octet_stream(&request, &update);
    assert_eq!(res.status().as_u16(), 200);

    // The main document: no guid, no query.
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.send_yjs_binary_update()
        .room_id("my-room")
        .body(vec![0u8, 0])
        .send()
        .await
        .unwrap();
    let request = received(&server, "PUT", "/v2/rooms/my-room/ydoc").await;
    assert_eq!(request.url.query(), None);
    assert_octet_stream(&request, &[0, 0]);
}

#[tokio::test]
async fn get_yjs_document_as_binary_update_returns_the_exact_bytes() {
    let update = yjs_update();
    let (server, c) = serve(binary(200, &update)).await;
    let res = c
        .get_yjs_document_as_binary_update()
        .room_id(TRICKY_ROOM_ID)
        .guid("0b9e1d9c-5f1c-4c1e-9a55-3c1f1b0a7e21")
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/ydoc-binary"),
    )
    .await;
    assert_eq!(
        query(&request),
        pairs(&[("guid", "0b9e1d9c-5f1c-4c1e-9a55-3c1f1b0a7e21")])
    );
    assert!(request.body.is_empty());
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/octet-stream")
    );
    assert_eq!(collect_bytes(res.into_inner()).await, update);

    // Without a guid: the main document, no query.
    let (server, c) = serve(binary(200, &[0, 0])).await;
    let res = c
        .get_yjs_document_as_binary_update()
        .room_id("r")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/r/ydoc-binary").await);
    assert_eq!(collect_bytes(res.into_inner()).await, [0, 0]);
}

#[tokio::test]
async fn a_yjs_error_on_a_binary_operation_is_an_api_error() {
    let (server, c) = serve(api_error_response(
        404,
        "ROOM_NOT_FOUND",
        "Room 'ghost' was not found",
        "req_ydoc_404",
    ))
    .await;
    let err = c
        .get_yjs_document_as_binary_update()
        .room_id("ghost")
        .send()
        .await
        .err()
        .expect("an error");
    received(&server, "GET", "/v2/rooms/ghost/ydoc-binary").await;
    assert_api_error(
        &err,
        404,
        "ROOM_NOT_FOUND",
        "Room 'ghost' was not found",
        "req_ydoc_404",
    );
}

// ---------------------------------------------------------------------------------------------
// Version history

#[tokio::test]
async fn get_version_history_sends_limit_and_cursor_and_decodes_the_page() {
    let page = json!({
        "data": [
            version("vh_abc123", "2024-10-15T10:30:00.000Z", &["user-123", "user-456"]),
            {"id": "vh_abc122", "createdAt": "2024-10-14T08:00:00.500Z", "authors": []}
        ],
        "nextCursor": "eyJjcmVhdGVkQXQiOiIyMDI0LTEwLTE1VDEwOjMwOjAwLjAwMFoifQ=="
    });
    let (server, c) = serve(json(200, page)).await;
    let res = c
        .get_version_history()
        .room_id("my-room")
        .limit(2u32)
        .cursor("eyJwcmV2IjoxfQ==")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/my-room/versions").await;
    assert_eq!(
        request.url.query(),
        Some("cursor=eyJwcmV2IjoxfQ%3D%3D&limit=2")
    );
    assert_eq!(
        query(&request),
        pairs(&[("cursor", "eyJwcmV2IjoxfQ=="), ("limit", "2")])
    );
    assert_eq!(accept(&request), Some("application/json"));
    assert!(request.body.is_empty());

    assert_eq!(
        res.next_cursor.as_deref(),
        Some("eyJjcmVhdGVkQXQiOiIyMDI0LTEwLTE1VDEwOjMwOjAwLjAwMFoifQ==")
    );
    let first = &res.data[0];
    assert_eq!(first.id, "vh_abc123");
    assert_eq!(first.type_.as_deref(), Some("historyVersion"));
    assert_eq!(first.kind.as_deref(), Some("yjs"));
    assert_eq!(
        first.created_at,
        "2024-10-15T10:30:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    let authors: Vec<_> = first.authors.iter().map(|a| a.id.as_deref()).collect();
    assert_eq!(authors, [Some("user-123"), Some("user-456")]);
    let second = &res.data[1];
    assert_eq!((second.type_.as_ref(), second.kind.as_ref()), (None, None));
    assert!(second.authors.is_empty());
}

#[tokio::test]
async fn get_version_history_without_parameters_sends_no_query_and_decodes_the_last_page() {
    let (server, c) = serve(json(200, json!({"data": [], "nextCursor": null}))).await;
    let res = c
        .get_version_history()
        .room_id(TRICKY_ROOM_ID)
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/versions"),
        )
        .await,
    );
    assert!(res.data.is_empty());
    assert_eq!(res.next_cursor, None);
}

#[tokio::test]
async fn create_version_history_snapshot_sends_a_bare_post_and_decodes_the_new_id() {
    let (server, c) = serve(json(200, json!({"data": {"id": "vh_new456"}}))).await;
    let res = c
        .create_version_history_snapshot()
        .room_id("my-room")
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/versions").await;
    assert_bare(&request);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(res.data.id, "vh_new456");
}

#[tokio::test]
async fn delete_version_sends_a_bare_delete_with_both_ids_encoded() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_version()
        .room_id(TRICKY_ROOM_ID)
        .version_id("vh abc/123")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/versions/vh%20abc%2F123"),
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn get_yjs_version_returns_the_exact_bytes() {
    let update = yjs_update();
    let (server, c) = serve(binary(200, &update)).await;
    let res = c
        .get_yjs_version()
        .room_id("my-room")
        .version_id("vh_abc123")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/my-room/versions/vh_abc123/yjs").await);
    assert_eq!(collect_bytes(res.into_inner()).await, update);
}

#[tokio::test]
async fn a_missing_version_is_an_api_error() {
    let (server, c) = serve(api_error_response(
        404,
        "VERSION_NOT_FOUND",
        "Version 'vh_gone' was not found",
        "req_vh_404",
    ))
    .await;
    let err = c
        .get_yjs_version()
        .room_id("my-room")
        .version_id("vh_gone")
        .send()
        .await
        .err()
        .expect("an error");
    received(&server, "GET", "/v2/rooms/my-room/versions/vh_gone/yjs").await;
    assert_api_error(
        &err,
        404,
        "VERSION_NOT_FOUND",
        "Version 'vh_gone' was not found",
        "req_vh_404",
    );
    assert!(err.is_not_found());
}

// ---------------------------------------------------------------------------------------------
// Auth

#[tokio::test]
async fn authorize_user_sends_permissions_per_room_and_decodes_the_token() {
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    let body = types::AuthorizeUserRequestBody {
        user_id: "user-123".into(),
        permissions: BTreeMap::from([
            ("my-room-1".to_string(), vec![Permission::RoomWrite]),
            (
                "my-room-*".to_string(),
                vec![Permission::RoomRead, Permission::CommentsWrite],
            ),
            (
                "team/room é".to_string(),
                vec![Permission::RoomPresenceWrite],
            ),
        ]),
        user_info: serde_json::Map::from_iter([
            ("name".to_string(), json!("bob")),
            (
                "avatar".to_string(),
                json!("https://example.org/images/user123.jpg"),
            ),
        ]),
        organization_id: Some("acme-corp".into()),
    };
    let res = c.authorize_user().body(body).send().await.unwrap();
    let request = received(&server, "POST", "/v2/authorize-user").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(
        json_body(&request),
        json!({
            "userId": "user-123",
            "permissions": {
                "my-room-1": ["room:write"],
                "my-room-*": ["room:read", "comments:write"],
                "team/room é": ["room:presence:write"]
            },
            "userInfo": {"name": "bob", "avatar": "https://example.org/images/user123.jpg"},
            "organizationId": "acme-corp"
        })
    );
    assert_eq!(res.token, TOKEN);

    // The minimal body: no userInfo, no organizationId.
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    c.authorize_user()
        .body_map(|b| {
            b.user_id("u").permissions(BTreeMap::from([(
                "*".to_string(),
                vec![Permission::AllRead],
            )]))
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/authorize-user").await;
    assert_eq!(
        json_body(&request),
        json!({"userId": "u", "permissions": {"*": ["*:read"]}})
    );
}

#[tokio::test]
async fn identify_user_sends_groups_and_info_and_decodes_the_token() {
    let wire = json!({
        "userId": "user-123",
        "organizationId": "acme-corp",
        "groupIds": ["marketing", "engineering"],
        "userInfo": {"name": "bob", "color": "#00f", "tier": 2}
    });
    // The generated builder (`Client::identify_user` itself is the validating hand-written
    // front end, tested below on the same wire).
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    let body: types::IdentifyUserRequestBody = typed(wire.clone());
    assert_eq!(body.group_ids, ["marketing", "engineering"]);
    let res = liveblocks::builder::IdentifyUser::new(&c)
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/identify-user").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(json_body(&request), wire);
    assert_eq!(res.token, TOKEN);

    // The hand-written front end sends the same body.
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    let token = c
        .identify_user("user-123")
        .organization_id("acme-corp")
        .group_ids(["marketing", "engineering"])
        .user_info(json!({"name": "bob", "color": "#00f", "tier": 2}))
        .authorize()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/identify-user").await;
    assert_eq!(json_body(&request), wire);
    assert_eq!(token.token(), TOKEN);

    // Only the user id.
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    c.identify_user("anonymous-42").authorize().await.unwrap();
    let request = received(&server, "POST", "/v2/identify-user").await;
    assert_eq!(json_body(&request), json!({"userId": "anonymous-42"}));
}

#[tokio::test]
async fn authorize_room_legacy_sends_the_user_to_the_room_path() {
    let wire = json!({
        "userId": "b2c1c290-f2c9-45de-a74e-6b7aa0690f59",
        "groupIds": ["g1", "g2"],
        "userInfo": {"name": "bob", "colors": ["blue", "red"]}
    });
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    let res = c
        .authorize_room_legacy()
        .room_id(TRICKY_ROOM_ID)
        .body(typed::<types::AuthorizeRoomLegacyRequestBody>(wire.clone()))
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/authorize"),
    )
    .await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), wire);
    assert_eq!(res.token, TOKEN);

    // An anonymous token for a public room: an empty object.
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    c.authorize_room_legacy()
        .room_id("public-room")
        .body(types::AuthorizeRoomLegacyRequestBody::default())
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/public-room/authorize").await;
    assert_eq!(json_body(&request), json!({}));
}

#[tokio::test]
async fn authorize_public_legacy_sends_the_public_key_in_the_body() {
    let (server, c) = serve(json(200, json!({"token": TOKEN}))).await;
    let res = c
        .authorize_public_legacy()
        .room_id("public room")
        .body(types::AuthorizePublicLegacyRequestBody {
            public_api_key: "pk_test_lOMrmwejSWLaPYQc5_JuGHXXX".into(),
        })
        .send()
        .await
        .unwrap();
    // The spec declares this operation unauthenticated (`security: []`): the secret key must
    // not travel with it.
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        "/v2/rooms/public%20room/public/authorize"
    );
    assert!(
        request.headers.get("authorization").is_none(),
        "no credential is sent to an unauthenticated operation"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"publicApiKey": "pk_test_lOMrmwejSWLaPYQc5_JuGHXXX"})
    );
    assert_eq!(res.token, TOKEN);
}

#[tokio::test]
async fn a_refused_token_request_is_an_api_error() {
    let (server, c) = serve(api_error_response(
        403,
        "FORBIDDEN",
        "The secret key is not allowed to issue tokens for organization 'other-corp'",
        "req_auth_403",
    ))
    .await;
    let err = c
        .identify_user("user-123")
        .organization_id("other-corp")
        .authorize()
        .await
        .unwrap_err();
    let request = received(&server, "POST", "/v2/identify-user").await;
    assert_eq!(
        json_body(&request),
        json!({"userId": "user-123", "organizationId": "other-corp"})
    );
    assert_api_error(
        &err,
        403,
        "FORBIDDEN",
        "The secret key is not allowed to issue tokens for organization 'other-corp'",
        "req_auth_403",
    );
    assert!(!err.is_not_found());
}
