//! Integration tests against the official Liveblocks dev server (started per test on a free
//! port, stopped by PID when the test ends, also on failure).

mod support;

use std::collections::BTreeMap;

use futures::TryStreamExt;
use liveblocks::types::{self, Permission};
use liveblocks::{ByteStream, Change, Client};
use serde_json::{Value, json};
use support::*;

async fn bytes(stream: ByteStream) -> Vec<u8> {
    stream
        .into_inner()
        .map_ok(|b| b.to_vec())
        .try_concat()
        .await
        .unwrap()
}

/// The JSON payload of an (unsigned) JWT.
fn jwt_payload(token: &str) -> Value {
    use base64::Engine as _;
    let middle = token.split('.').nth(1).expect("a JWT has three parts");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(middle.trim_end_matches('='))
        .unwrap();
    serde_json::from_slice(&raw).unwrap()
}

#[tokio::test]
async fn rooms_create_get_list_update_delete() {
    let server = devserver();
    let client = devserver_client(&server);

    let room = create_room(&client, "room a/b é", Permission::RoomRead).await;
    assert_eq!(room.id, "room a/b é");
    assert_eq!(room.default_accesses, vec![Permission::RoomRead]);

    // Creating it again fails, unless the create is idempotent.
    let err = client
        .create_room()
        .body_map(|b| {
            b.id("room a/b é")
                .default_accesses(Vec::<liveblocks::Permission>::new())
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409), "{err}");
    assert_eq!(err.code(), Some("ROOM_ALREADY_EXISTS"));
    let same = client
        .create_room()
        .idempotent(true)
        .body_map(|b| {
            b.id("room a/b é")
                .default_accesses(vec![Permission::RoomWrite])
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        same.default_accesses,
        vec![Permission::RoomRead],
        "the existing room is returned"
    );

    let got = client
        .get_room()
        .room_id("room a/b é")
        .send()
        .await
        .unwrap();
    assert_eq!(got.created_at, room.created_at);

    create_room(&client, "second", Permission::RoomRead).await;
    let listed = client.get_rooms().send().await.unwrap();
    let ids: Vec<&str> = listed.data.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["room a/b é", "second"]);

    // Grant alice write access, then remove it with an explicit null.
    let updated = client
        .update_room()
        .room_id("second")
        .body_map(|b| b.users_accesses([("alice", ["room:write"])]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.users_accesses.0.get("alice"),
        Some(&vec![Permission::RoomWrite])
    );
    let updated = client
        .update_room()
        .room_id("second")
        .body_map(|b| b.users_accesses([("alice", Change::Remove)]))
        .send()
        .await
        .unwrap();
    assert!(
        updated.users_accesses.0.is_empty(),
        "{:?}",
        updated.users_accesses
    );

    client.delete_room().room_id("second").send().await.unwrap();
    let err = client
        .get_room()
        .room_id("second")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some("ROOM_NOT_FOUND"));
}

#[tokio::test]
async fn storage_initialize_get_in_both_formats_and_delete() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "storage", Permission::RoomRead).await;

    let tree: types::InitializeStorageDocumentRequestBody = serde_json::from_value(json!({
        "liveblocksType": "LiveObject",
        "data": {
            "title": "Groceries",
            "items": {"liveblocksType": "LiveList", "data": ["milk", "eggs"]},
            "owner": {"liveblocksType": "LiveObject", "data": {"name": "Ada"}}
        }
    }))
    .unwrap();
    let stored = client
        .initialize_storage_document()
        .room_id("storage")
        .body(tree)
        .send()
        .await
        .unwrap();
    assert_eq!(stored.data.get("title"), Some(&json!("Groceries")));

    let lson = client
        .get_storage_document()
        .room_id("storage")
        .send()
        .await
        .unwrap();
    assert_eq!(
        lson.0["data"]["items"],
        json!({"liveblocksType": "LiveList", "data": ["milk", "eggs"]})
    );
    let plain = client
        .get_storage_document()
        .room_id("storage")
        .format(types::StorageDocumentFormat::Json)
        .send()
        .await
        .unwrap();
    assert_eq!(
        plain.0,
        json!({"title": "Groceries", "items": ["milk", "eggs"], "owner": {"name": "Ada"}})
    );

    client
        .delete_storage_document()
        .room_id("storage")
        .send()
        .await
        .unwrap();
    let empty = client
        .get_storage_document()
        .room_id("storage")
        .format(types::StorageDocumentFormat::Json)
        .send()
        .await
        .unwrap();
    assert_eq!(empty.0, json!({}));
}

#[tokio::test]
async fn yjs_binary_update_round_trip() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "yjs", Permission::RoomRead).await;
    // Made by tests/fixtures/yjs/gen.mjs with the yjs npm package: text "Hello from Rust" in
    // the shared type `text`, and `meta.answer = 42`.
    let update = std::fs::read(repo_root().join("tests/fixtures/yjs/hello_update.bin")).unwrap();
    client
        .send_yjs_binary_update()
        .room_id("yjs")
        .body(update.clone())
        .send()
        .await
        .unwrap();

    let binary = client
        .get_yjs_document_as_binary_update()
        .room_id("yjs")
        .send()
        .await
        .unwrap();
    assert_eq!(bytes(binary.into_inner()).await, update);

    let doc = client
        .get_yjs_document()
        .room_id("yjs")
        .send()
        .await
        .unwrap();
    assert_eq!(
        doc.0,
        json!({"text": "Hello from Rust", "meta": {"answer": 42}})
    );
    let text = client
        .get_yjs_document()
        .room_id("yjs")
        .key("text")
        .type_(types::YjsDocumentType::Ytext)
        .send()
        .await
        .unwrap();
    assert_eq!(text.0, json!("Hello from Rust"));
}

#[tokio::test]
async fn active_users_of_an_empty_room() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "lobby", Permission::RoomRead).await;
    let users = client
        .get_active_users()
        .room_id("lobby")
        .send()
        .await
        .unwrap();
    assert!(users.data.is_empty());
}

#[tokio::test]
async fn authorize_user_and_identify_user_return_tokens() {
    let server = devserver();
    let client = devserver_client(&server);
    let mut permissions = BTreeMap::new();
    permissions.insert("team-*".to_string(), vec![Permission::RoomWrite]);
    permissions.insert(
        "lobby".to_string(),
        vec![Permission::RoomRead, Permission::RoomPresenceWrite],
    );
    let token = client
        .authorize_user()
        .body_map(|b| b.user_id("ada").permissions(permissions))
        .send()
        .await
        .unwrap();
    let payload = jwt_payload(&token.token);
    assert_eq!(payload["uid"], "ada");
    assert_eq!(
        payload["perms"],
        json!({"team-*": ["room:write"], "lobby": ["room:read", "room:presence:write"]})
    );

    // The generated builder stays reachable for identify-user.
    let body = types::IdentifyUserRequestBody::builder()
        .user_id("ada")
        .group_ids(vec!["g1".to_string()]);
    let token = liveblocks::builder::IdentifyUser::new(&client)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(jwt_payload(&token.token)["gids"], json!(["g1"]));
}

#[tokio::test]
async fn a_session_with_two_patterns_and_an_id_token() {
    let server = devserver();
    let client = devserver_client(&server);
    let token = client
        .prepare_session("ada")
        .user_info(json!({"name": "Ada Lovelace", "color": "#85BBF0"}))
        .allow("team-1:*", Permission::FULL_ACCESS)
        .allow(
            "lobby",
            [Permission::RoomRead, Permission::RoomPresenceWrite],
        )
        .authorize()
        .await
        .unwrap();
    let payload = jwt_payload(token.token());
    assert_eq!(payload["uid"], "ada");
    assert_eq!(
        payload["perms"],
        json!({"team-1:*": ["*:write"], "lobby": ["room:read", "room:presence:write"]})
    );

    let token = client
        .identify_user("ada")
        .group_ids(["engineering", "design"])
        .user_info(json!({"name": "Ada Lovelace"}))
        .authorize()
        .await
        .unwrap();
    let payload = jwt_payload(token.token());
    assert_eq!(payload["uid"], "ada");
    assert_eq!(payload["gids"], json!(["engineering", "design"]));
}

#[tokio::test]
async fn streaming_every_room_terminates_on_the_single_page() {
    let server = devserver();
    let client = devserver_client(&server);
    for i in 0..30 {
        create_room(&client, &format!("stream-{i:02}"), Permission::RoomRead).await;
    }
    let rooms = client.get_rooms().stream().try_collect_all().await.unwrap();
    let ids: Vec<String> = rooms.into_iter().map(|r| r.id).collect();
    let expected: Vec<String> = (0..30).map(|i| format!("stream-{i:02}")).collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn the_wrong_secret_is_refused_by_the_server() {
    let server = devserver();
    let client = Client::builder()
        .secret_key("sk_wrong")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client.get_rooms().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{err}");
}

#[tokio::test]
async fn the_dev_server_parses_every_built_query() {
    use liveblocks::query::RoomQuery;
    let server = devserver();
    let client = devserver_client(&server);
    let queries = [
        RoomQuery::new().room_id("plain"),
        RoomQuery::new()
            .room_id_prefix("liveblocks:")
            .metadata("status", "open"),
        RoomQuery::new().metadata(r#"we"ird\key"#, r#"a" AND roomId^"x"#),
        RoomQuery::new()
            .metadata("emoji 🎉", "café ☕")
            .room_id_prefix("🎉"),
        RoomQuery::new().room_id("tab\there\nnewline\\"),
    ];
    for query in queries {
        let text = query.to_string();
        let result = client.get_rooms().query(query).send().await;
        assert!(result.is_ok(), "{text:?} was refused: {:?}", result.err());
    }
    // The check bites: a malformed raw query is refused.
    let err = client
        .get_rooms()
        .query(r#"roomId^"unterminated"#)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INVALID_QUERY"), "{err}");
}
