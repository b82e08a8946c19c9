//! The values a user has at hand are accepted: std maps of `&str`, `vec!["room:write"]`,
//! `json!({..})` bodies; typos in permissions and mismatching JSON bodies are typed errors
//! before anything is sent.

mod support;

use std::collections::{BTreeMap, HashMap};

use liveblocks::types::{self, Permission, RoomMetadata, RoomMetadataValue};
use liveblocks::{IntoPermissions, UnknownValue};
use serde_json::json;
use support::*;

#[tokio::test]
async fn a_first_create_room_with_std_maps_and_str_permissions_sends_the_exact_body() {
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    let metadata: HashMap<&str, &str> = HashMap::from([("color", "blue")]);
    let users: BTreeMap<&str, Vec<&str>> = BTreeMap::from([("alice", vec!["room:write"])]);
    c.create_room()
        .body_map(|b| {
            b.id("my-room")
                .default_accesses(vec!["room:write"])
                .metadata(metadata)
                .users_accesses(users)
                .groups_accesses([("team", ["room:read"])])
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms").await;
    assert_eq!(
        json_body(&request),
        json!({
            "id": "my-room",
            "defaultAccesses": ["room:write"],
            "metadata": {"color": "blue"},
            "usersAccesses": {"alice": ["room:write"]},
            "groupsAccesses": {"team": ["room:read"]}
        })
    );
}

#[tokio::test]
async fn a_json_body_is_accepted_and_sent_as_given() {
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    let body = json!({"id": "my-room", "defaultAccesses": ["room:write"], "metadata": {"tags": ["a", "b"]}});
    c.create_room().body(body.clone()).send().await.unwrap();
    let request = received(&server, "POST", "/v2/rooms").await;
    assert_eq!(json_body(&request), body);
}

#[tokio::test]
async fn a_json_body_of_the_wrong_shape_fails_naming_the_operation_and_sends_nothing() {
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    let err = c
        .create_room()
        .body(json!({"defaultAccesses": ["room:write"]}))
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("create_room"), "{text}");
    assert!(text.contains("CreateRoomRequestBody"), "{text}");
    assert!(text.contains("missing field `id`"), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_permission_typo_fails_naming_the_closest_value_and_sends_nothing() {
    let (server, c) = serve(json(200, room_json("my-room"))).await;
    let err = c
        .create_room()
        .body_map(|b| b.id("r").default_accesses(["room:wirte"]))
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("did you mean `room:write`?"), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn authorize_user_permissions_take_pairs_of_permission_strings() {
    let (server, c) = serve(json(200, json!({"token": "t"}))).await;
    c.authorize_user()
        .body_map(|b| {
            b.user_id("ada").permissions([
                ("my-room-*", vec!["room:read", "comments:write"]),
                ("lobby", vec!["room:presence:write"]),
            ])
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/authorize-user").await;
    assert_eq!(
        json_body(&request),
        json!({
            "userId": "ada",
            "permissions": {
                "my-room-*": ["room:read", "comments:write"],
                "lobby": ["room:presence:write"]
            }
        })
    );
    // A typo is refused before sending, naming the closest permission.
    let (server, c) = serve(json(200, json!({"token": "t"}))).await;
    let err = c
        .authorize_user()
        .body_map(|b| {
            b.user_id("ada")
                .permissions(HashMap::from([("lobby", ["room:raed"])]))
        })
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("permissions"), "{text}");
    assert!(text.contains("did you mean `room:read`?"), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn parsing_a_permission_is_strict_but_decoding_a_response_is_not() {
    let err: UnknownValue = "room:wirte".parse::<Permission>().unwrap_err();
    assert_eq!(err.suggestion(), Some("room:write"));
    assert_eq!(err.type_name(), "Permission");
    assert_eq!(
        "comments:write".parse::<Permission>(),
        Ok(Permission::CommentsWrite)
    );
    let decoded: Vec<Permission> = serde_json::from_value(json!(["room:admin"])).unwrap();
    assert_eq!(decoded, [Permission::Unknown("room:admin".into())]);
}

#[test]
fn permission_lists_come_from_vecs_arrays_and_slices_of_strings_or_permissions() {
    let want = vec![Permission::RoomWrite, Permission::StorageRead];
    assert_eq!(
        vec!["room:write", "storage:read"].into_permissions(),
        Ok(want.clone())
    );
    assert_eq!(
        ["room:write", "storage:read"].into_permissions(),
        Ok(want.clone())
    );
    assert_eq!(
        (&["room:write", "storage:read"]).into_permissions(),
        Ok(want.clone())
    );
    let owned = ["room:write".to_string(), "storage:read".to_string()];
    assert_eq!((&owned[..]).into_permissions(), Ok(want.clone()));
    assert_eq!(want.clone().into_permissions(), Ok(want.clone()));
    let err = vec!["room:write", "storage:raed"]
        .into_permissions()
        .unwrap_err();
    assert_eq!(err.value(), "storage:raed");
    assert_eq!(err.suggestion(), Some("storage:read"));
    let err = types::RoomAccesses::try_from([("alice", ["room:wirte"])]).unwrap_err();
    assert_eq!(err.suggestion(), Some("room:write"));
}

#[test]
fn metadata_takes_str_values_and_lists_of_str() {
    let metadata = RoomMetadata::from([("color", "blue")]);
    assert_eq!(
        metadata.get("color"),
        Some(&RoomMetadataValue::String("blue".into()))
    );
    let metadata = RoomMetadata::from(HashMap::from([("tags", vec!["a", "b"])]));
    assert_eq!(
        metadata.get("tags"),
        Some(&RoomMetadataValue::Array(vec!["a".into(), "b".into()]))
    );
    assert_eq!(
        RoomMetadataValue::from(String::from("x")),
        RoomMetadataValue::String("x".into())
    );
}
