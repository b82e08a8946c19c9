//! Wire tests of the 12 Rooms operations: what each request looks like on the wire (method, raw
//! path with its percent-encoding, query, headers, JSON body) and how each realistic answer
//! decodes, plus the API error a missing room gets.

mod support;

use std::collections::BTreeMap;

use liveblocks::types::{self, Permission, RoomMetadataValue};
use liveblocks::{Change, Error, ResponseValue};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------------------------
// Realistic answers

/// A private room nobody connected to yet, with a permission and a field this version of the
/// crate does not know.
fn fresh_room(id: &str) -> Value {
    json!({
        "type": "room",
        "id": id,
        "organizationId": "default",
        "createdAt": "2024-10-15T10:30:00.125Z",
        "defaultAccesses": [],
        "usersAccesses": {"alice": ["room:admin", "comments:write"]},
        "groupsAccesses": {},
        "metadata": {},
        "engine": 2
    })
}

/// Checks the decoded [`room_json`] field by field and that it serializes back to the same JSON.
fn assert_room_json(room: &types::Room, id: &str) {
    let t = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert_eq!(room.type_, "room");
    assert_eq!(room.id, id);
    assert_eq!(room.organization_id, "org_123456789");
    assert_eq!(room.created_at, t("2022-07-13T14:32:50.697Z"));
    assert_eq!(room.last_connection_at, Some(t("2022-08-04T21:07:09.380Z")));
    assert_eq!(room.default_accesses, [Permission::RoomWrite]);
    assert_eq!(room.users_accesses["alice"], [Permission::RoomWrite]);
    assert_eq!(
        room.users_accesses["vinod"],
        [Permission::RoomRead, Permission::RoomPresenceWrite]
    );
    assert_eq!(room.groups_accesses["marketing"], [Permission::RoomWrite]);
    assert_eq!(
        room.metadata["color"],
        RoomMetadataValue::String("blue".into())
    );
    assert_eq!(
        room.metadata["target"],
        RoomMetadataValue::Array(vec!["abc".into(), "def".into()])
    );
    assert_eq!(serde_json::to_value(room).unwrap(), room_json(id));
}

fn accesses(entries: &[(&str, &[Permission])]) -> types::RoomAccesses {
    types::RoomAccesses(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_vec()))
            .collect::<BTreeMap<_, _>>(),
    )
}

// ---------------------------------------------------------------------------------------------
// get_rooms

#[tokio::test]
async fn get_rooms_sends_every_filter_and_decodes_the_page() {
    let page = json!({
        "nextCursor": "W1siaWQiLCJVRzhWYl82SHRUS0NzXzFvci1HZHQiXV0=",
        "data": [room_json("react-todo-list"), fresh_room("private-notes")]
    });
    let (server, c) = serve(json(200, page)).await;
    let query_language = r#"metadata["color"]:"blue" AND roomId^"project-""#;
    let res = c
        .get_rooms()
        .limit(50u32)
        .starting_after("W1siaWQiLCJwcmV2Il1d")
        .organization_id("org_123456789")
        .query(query_language)
        .user_id("alice@example.com")
        .group_ids("marketing,product")
        .send()
        .await
        .unwrap();

    let request = received(&server, "GET", "/v2/rooms").await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("groupIds", "marketing,product"),
            ("limit", "50"),
            ("organizationId", "org_123456789"),
            ("query", query_language),
            ("startingAfter", "W1siaWQiLCJwcmV2Il1d"),
            ("userId", "alice@example.com"),
        ])
    );
    // The raw query: the query language's quotes, brackets, caret and spaces are encoded.
    assert_eq!(
        request.url.query(),
        Some(
            "groupIds=marketing%2Cproduct&limit=50&organizationId=org_123456789\
             &query=metadata%5B%22color%22%5D%3A%22blue%22+AND+roomId%5E%22project-%22\
             &startingAfter=W1siaWQiLCJwcmV2Il1d&userId=alice%40example.com"
        )
    );
    assert_eq!(accept(&request), Some("application/json"));
    assert!(request.body.is_empty());
    assert_eq!(header_str(&request, "content-type"), None);

    assert_eq!(
        res.next_cursor.as_deref(),
        Some("W1siaWQiLCJVRzhWYl82SHRUS0NzXzFvci1HZHQiXV0=")
    );
    assert_eq!(res.data.len(), 2);
    assert_room_json(&res.data[0], "react-todo-list");
    let fresh = &res.data[1];
    assert_eq!(fresh.id, "private-notes");
    assert_eq!(fresh.organization_id, "default");
    assert_eq!(fresh.last_connection_at, None);
    assert!(fresh.default_accesses.is_empty());
    assert!(fresh.groups_accesses.is_empty() && fresh.metadata.is_empty());
    // A permission this crate does not know is kept, not a decode failure.
    assert_eq!(
        fresh.users_accesses["alice"],
        [
            Permission::Unknown("room:admin".into()),
            Permission::CommentsWrite
        ]
    );
}

#[tokio::test]
async fn get_rooms_without_filters_sends_no_query_and_decodes_the_last_page() {
    let (server, c) = serve(json(200, json!({"nextCursor": null, "data": []}))).await;
    let res = c.get_rooms().send().await.unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms").await);
    assert_eq!(res.next_cursor, None);
    assert!(res.data.is_empty());
}

// ---------------------------------------------------------------------------------------------
// create_room

#[tokio::test]
async fn create_room_sends_the_full_body_and_the_idempotent_query() {
    let wire = json!({
        "id": "my-room-3ebc26e2bf96",
        "defaultAccesses": ["room:read", "room:presence:write"],
        "organizationId": "org_123456789",
        "usersAccesses": {"alice": ["room:write"], "bob": ["*:read", "comments:write"]},
        "groupsAccesses": {"product": ["room:write"]},
        "metadata": {"color": "blue", "target": ["abc", "def"]},
        "engine": 2
    });
    for (idempotent, raw_query) in [(true, "idempotent=true"), (false, "idempotent=false")] {
        let (server, c) = serve(json(200, room_json("my-room-3ebc26e2bf96"))).await;
        let body = types::CreateRoomRequestBody {
            id: "my-room-3ebc26e2bf96".into(),
            default_accesses: vec![Permission::RoomRead, Permission::RoomPresenceWrite],
            organization_id: Some("org_123456789".into()),
            users_accesses: Some(accesses(&[
                ("alice", &[Permission::RoomWrite]),
                ("bob", &[Permission::AllRead, Permission::CommentsWrite]),
            ])),
            groups_accesses: Some(accesses(&[("product", &[Permission::RoomWrite])])),
            metadata: Some(
                BTreeMap::from([
                    (
                        "color".to_string(),
                        RoomMetadataValue::String("blue".into()),
                    ),
                    (
                        "target".to_string(),
                        RoomMetadataValue::Array(vec!["abc".into(), "def".into()]),
                    ),
                ])
                .into(),
            ),
            engine: Some(types::RoomEngine::try_from(2i64).unwrap()),
        };
        let res = c
            .create_room()
            .idempotent(idempotent)
            .body(body)
            .send()
            .await
            .unwrap();
        let request = received(&server, "POST", "/v2/rooms").await;
        assert_eq!(request.url.query(), Some(raw_query));
        assert_eq!(accept(&request), Some("application/json"));
        assert_eq!(json_body(&request), wire);
        assert_eq!(res.status().as_u16(), 200);
        assert_room_json(&res, "my-room-3ebc26e2bf96");
    }
}

#[tokio::test]
async fn create_room_with_only_the_required_fields_sends_no_query_and_a_minimal_body() {
    let (server, c) = serve(json(200, fresh_room("r1"))).await;
    let res = c
        .create_room()
        .body_map(|b| b.id("r1").default_accesses(Vec::<Permission>::new()))
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"id": "r1", "defaultAccesses": []})
    );
    assert_eq!(res.id, "r1");
    assert!(res.default_accesses.is_empty());
    // An engine outside the enum is refused before anything is sent.
    assert!(types::RoomEngine::try_from(3i64).is_err());
}

// ---------------------------------------------------------------------------------------------
// get_room, update_room, delete_room

#[tokio::test]
async fn get_room_percent_encodes_the_room_id_and_decodes_the_room() {
    let (server, c) = serve(json(200, room_json(TRICKY_ROOM_ID))).await;
    let res = c.get_room().room_id(TRICKY_ROOM_ID).send().await.unwrap();
    let request = received(&server, "GET", &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}")).await;
    assert_bare(&request);
    assert_eq!(accept(&request), Some("application/json"));
    assert_room_json(&res, TRICKY_ROOM_ID);
}

#[tokio::test]
async fn update_room_sends_null_to_remove_a_users_access() {
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    let body = types::UpdateRoomRequestBody {
        default_accesses: Change::Set(vec![Permission::RoomRead]),
        users_accesses: BTreeMap::from([
            ("alice".to_string(), Change::Remove),
            ("bob".to_string(), Change::Set(vec![Permission::RoomWrite])),
        ]),
        groups_accesses: BTreeMap::from([
            ("marketing".to_string(), Change::Remove),
            (
                "product".to_string(),
                Change::Set(vec![Permission::RoomRead, Permission::CommentsWrite]),
            ),
        ]),
        metadata: BTreeMap::from([
            ("color".to_string(), Change::Remove),
            (
                "size".to_string(),
                Change::Set(RoomMetadataValue::String("L".into())),
            ),
            (
                "tags".to_string(),
                Change::Set(RoomMetadataValue::Array(vec!["a".into(), "b".into()])),
            ),
        ]),
    };
    let res = c
        .update_room()
        .room_id("my-room")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(
        json_body(&request),
        json!({
            "defaultAccesses": ["room:read"],
            "usersAccesses": {"alice": null, "bob": ["room:write"]},
            "groupsAccesses": {"marketing": null, "product": ["room:read", "comments:write"]},
            "metadata": {"color": null, "size": "L", "tags": ["a", "b"]}
        })
    );
    assert_room_json(&res, "my-room");
}

#[tokio::test]
async fn update_room_leaves_out_unset_fields_and_can_send_explicit_nulls() {
    // Only `usersAccesses`: the other fields are absent, not null or empty.
    let (server, c) = serve(json(200, room_json("r"))).await;
    let body: types::UpdateRoomRequestBody = typed(json!({"usersAccesses": {"alice": null}}));
    assert_eq!(body.users_accesses.get("alice"), Some(&Change::Remove));
    assert!(body.default_accesses.is_keep());
    c.update_room()
        .room_id("r")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r").await;
    assert_eq!(
        json_body(&request),
        json!({"usersAccesses": {"alice": null}})
    );

    // `Change::Remove` on the nullable default accesses is an explicit null on the wire.
    let (server, c) = serve(json(200, room_json("r"))).await;
    let body = types::UpdateRoomRequestBody {
        default_accesses: Change::Remove,
        ..Default::default()
    };
    c.update_room()
        .room_id("r")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r").await;
    assert_eq!(json_body(&request), json!({"defaultAccesses": null}));
}

#[tokio::test]
async fn delete_room_sends_a_bare_delete_and_accepts_204() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res: ResponseValue<()> = c
        .delete_room()
        .room_id(TRICKY_ROOM_ID)
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}"),
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

// ---------------------------------------------------------------------------------------------
// Active users, broadcast, presence, prewarm

#[tokio::test]
async fn get_active_users_decodes_named_and_anonymous_connections() {
    let users = json!({
        "data": [
            {"type": "user", "connectionId": 16, "id": "alice", "info": {"name": "Alice", "avatar": "https://example.org/a.png"}},
            {"type": "user", "connectionId": 20, "id": "alice", "info": {}},
            {"type": "user", "connectionId": 4_294_967_296i64, "id": null}
        ]
    });
    let (server, c) = serve(json(200, users)).await;
    let res = c
        .get_active_users()
        .room_id("design review")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/design%20review/active-users").await;
    assert_bare(&request);
    assert_eq!(accept(&request), Some("application/json"));
    let summary: Vec<(i64, Option<&str>)> = res
        .data
        .iter()
        .map(|u| (u.connection_id, u.id.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (16, Some("alice")),
            (20, Some("alice")),
            (4_294_967_296, None)
        ]
    );
    assert!(res.data.iter().all(|u| u.type_ == "user"));
    assert_eq!(res.data[0].info["name"], "Alice");
    assert!(res.data[1].info.is_empty() && res.data[2].info.is_empty());
}

#[tokio::test]
async fn broadcast_event_sends_any_json_value_as_is() {
    for event in [
        json!({"type": "EMOJI", "emoji": "🔥", "position": {"x": 10.5, "y": -3}}),
        json!(["a", 1, null, true]),
        json!("refresh"),
    ] {
        let (server, c) = serve(ResponseTemplate::new(204)).await;
        let res = c
            .broadcast_event()
            .room_id("my-room")
            .body(types::BroadcastEventRequestBody::from(event.clone()))
            .send()
            .await
            .unwrap();
        let request = received(&server, "POST", "/v2/rooms/my-room/broadcast-event").await;
        assert_eq!(request.url.query(), None);
        assert_eq!(json_body(&request), event);
        assert_eq!(res.status().as_u16(), 204);
    }
}

#[tokio::test]
async fn set_presence_sends_user_data_info_and_ttl() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let wire = json!({
        "userId": "agent-123",
        "data": {"status": "active", "cursor": {"x": 100, "y": 200}},
        "userInfo": {"name": "AI Assistant", "avatar": "https://example.org/images/agent123.jpg", "color": "#ff0"},
        "ttl": 3599
    });
    let body: types::SetPresenceRequestBody = typed(wire.clone());
    assert_eq!(body.ttl, 3599);
    c.set_presence()
        .room_id("my-room")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/presence").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), wire);

    // Without a ttl the documented default (60 seconds) is sent.
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    c.set_presence()
        .room_id("my-room")
        .body_map(|b| {
            b.user_id("agent-123")
                .data(serde_json::Map::from_iter([(
                    "typing".to_string(),
                    json!(true),
                )]))
                .user_info(serde_json::Map::new())
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/presence").await;
    assert_eq!(
        json_body(&request),
        json!({"userId": "agent-123", "data": {"typing": true}, "userInfo": {}, "ttl": 60})
    );
}

#[tokio::test]
async fn prewarm_room_sends_a_bare_get_and_accepts_204() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .prewarm_room()
        .room_id("team/standup")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/team%2Fstandup/prewarm").await);
    assert_eq!(res.status().as_u16(), 204);
}

// ---------------------------------------------------------------------------------------------
// Moving, renaming, upserting

#[tokio::test]
async fn update_room_organization_id_sends_both_organizations() {
    let mut moved = room_json("my-room");
    moved["organizationId"] = json!("org_987654321");
    let (server, c) = serve(json(200, moved)).await;
    let res = c
        .update_room_organization_id()
        .room_id("my-room")
        .body(types::UpdateRoomOrganizationIdRequestBody {
            from_organization_id: "org_123456789".into(),
            to_organization_id: "org_987654321".into(),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/update-organization-id").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"fromOrganizationId": "org_123456789", "toOrganizationId": "org_987654321"})
    );
    assert_eq!(res.organization_id, "org_987654321");
    assert_eq!(res.id, "my-room");
}

#[tokio::test]
async fn update_room_id_sends_the_new_id_and_decodes_the_renamed_room() {
    let (server, c) = serve(json(200, room_json("new room/id"))).await;
    let res = c
        .update_room_id()
        .room_id(TRICKY_ROOM_ID)
        .body(types::UpdateRoomIdRequestBody {
            new_room_id: "new room/id".into(),
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/update-room-id"),
    )
    .await;
    assert_eq!(request.url.query(), None);
    // Inside the body the new id is plain JSON text, not percent-encoded.
    assert_eq!(json_body(&request), json!({"newRoomId": "new room/id"}));
    assert_room_json(&res, "new room/id");
}

#[tokio::test]
async fn upsert_room_sends_update_and_create_parts() {
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    let body = types::UpsertRoomRequestBody {
        update: types::UpdateRoomRequestBody {
            users_accesses: BTreeMap::from([
                (
                    "alice".to_string(),
                    Change::Set(vec![Permission::RoomWrite]),
                ),
                ("mallory".to_string(), Change::Remove),
            ]),
            metadata: BTreeMap::from([(
                "color".to_string(),
                Change::Set(RoomMetadataValue::String("blue".into())),
            )]),
            ..Default::default()
        },
        create: Some(types::UpsertRoomCreateFields {
            default_accesses: vec![Permission::RoomRead],
            organization_id: Some("org_123456789".into()),
            users_accesses: None,
            groups_accesses: Some(accesses(&[("product", &[Permission::RoomWrite])])),
            metadata: None,
        }),
    };
    let res = c
        .upsert_room()
        .room_id("my-room")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/upsert").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({
            "update": {
                "usersAccesses": {"alice": ["room:write"], "mallory": null},
                "metadata": {"color": "blue"}
            },
            "create": {
                "defaultAccesses": ["room:read"],
                "organizationId": "org_123456789",
                "groupsAccesses": {"product": ["room:write"]}
            }
        })
    );
    assert_room_json(&res, "my-room");

    // `update` alone (the room is expected to exist).
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    c.upsert_room()
        .room_id("my-room")
        .body(types::UpsertRoomRequestBody {
            update: Default::default(),
            create: None,
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/upsert").await;
    assert_eq!(json_body(&request), json!({"update": {}}));
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test]
async fn a_missing_room_is_an_api_error_with_every_field_and_the_request_id() {
    let (server, c) = serve(api_error_response(
        404,
        "ROOM_NOT_FOUND",
        "Room 'a/b c?d#é' was not found",
        "req_01HZX3",
    ))
    .await;
    let err = c
        .get_room()
        .room_id(TRICKY_ROOM_ID)
        .send()
        .await
        .unwrap_err();
    received(&server, "GET", &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}")).await;
    assert_api_error(
        &err,
        404,
        "ROOM_NOT_FOUND",
        "Room 'a/b c?d#é' was not found",
        "req_01HZX3",
    );
    assert!(err.is_not_found());
    assert_eq!(err.code(), Some("ROOM_NOT_FOUND"));
}

#[tokio::test]
async fn creating_an_existing_room_is_a_409_api_error() {
    let (server, c) = serve(api_error_response(
        409,
        "ROOM_ALREADY_EXISTS",
        "The room 'r1' already exists",
        "req_409",
    ))
    .await;
    let err = c
        .create_room()
        .body_map(|b| b.id("r1").default_accesses(vec![Permission::RoomWrite]))
        .send()
        .await
        .unwrap_err();
    let request = received(&server, "POST", "/v2/rooms").await;
    assert_eq!(request.url.query(), None);
    assert_api_error(
        &err,
        409,
        "ROOM_ALREADY_EXISTS",
        "The room 'r1' already exists",
        "req_409",
    );
    assert!(matches!(err, Error::Api(_)));
}

#[test]
fn a_new_value_in_a_response_constant_still_decodes() {
    // `Room.type` is always `room` today; a future value must not fail the whole response.
    let mut room = room_json("r1");
    room["type"] = json!("room-v2");
    let decoded: types::Room = serde_json::from_value(room).expect("decodes");
    assert_eq!(decoded.type_, "room-v2");
}
