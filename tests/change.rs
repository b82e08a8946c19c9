//! `liveblocks::Change<T>` in update bodies (keep: left out, remove: `null`, set: the value) as
//! it goes on the wire, from setters, pairs and struct literals; and the typed
//! `Error::MissingField` a required argument that was not set gets, before anything is sent.

mod support;

use std::collections::{BTreeMap, HashMap};

use liveblocks::types::{self, Permission, RoomMetadataValue};
use liveblocks::{Change, Error, FieldLocation};
use serde_json::{Value, json};
use support::*;

fn copilot() -> Value {
    json!({
        "type": "copilot",
        "id": "cp_abc123",
        "name": "Support copilot",
        "systemPrompt": "You are a helpful assistant.",
        "alwaysUseKnowledge": true,
        "createdAt": "2024-06-01T12:00:00.123Z",
        "updatedAt": "2024-06-02T08:30:00.456Z",
        "provider": "openai",
        "providerModel": "gpt-4o"
    })
}

/// Sends an `update_room` of room `r` built by `f` and returns the JSON body on the wire.
async fn update_room_body(
    f: impl FnOnce(
        types::builder::UpdateRoomRequestBodyBuilder,
    ) -> types::builder::UpdateRoomRequestBodyBuilder,
) -> Value {
    let (server, c) = serve(json(200, room_json("r"))).await;
    c.update_room()
        .room_id("r")
        .body_map(f)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r").await;
    json_body(&request)
}

#[tokio::test]
async fn update_room_sets_removes_and_keeps_default_accesses() {
    // Set, from permission strings.
    let body = update_room_body(|b| b.default_accesses(["room:read", "room:presence:write"])).await;
    assert_eq!(
        body,
        json!({"defaultAccesses": ["room:read", "room:presence:write"]})
    );
    // Set, from a `Vec<&str>` and from a `Change` of permissions.
    let body = update_room_body(|b| b.default_accesses(vec!["room:write"])).await;
    assert_eq!(body, json!({"defaultAccesses": ["room:write"]}));
    let body =
        update_room_body(|b| b.default_accesses(Change::Set(vec![Permission::RoomWrite]))).await;
    assert_eq!(body, json!({"defaultAccesses": ["room:write"]}));
    // Remove: an explicit null.
    let body = update_room_body(|b| b.default_accesses(Change::Remove)).await;
    assert_eq!(body, json!({"defaultAccesses": null}));
    // Keep (not called, or called with Keep): left out.
    let body = update_room_body(|b| b.default_accesses(Change::Keep)).await;
    assert_eq!(body, json!({}));
}

#[tokio::test]
async fn update_room_sets_and_removes_metadata_keys_and_removes_a_users_access() {
    let body = update_room_body(|b| {
        b.metadata([
            ("color", Change::set("blue")),
            ("tags", Change::set(["a", "b"])),
            ("draft", Change::Remove),
            ("untouched", Change::Keep),
        ])
        .users_accesses([("alice", Change::Remove)])
        .groups_accesses([("product", ["room:read"])])
    })
    .await;
    assert_eq!(
        body,
        json!({
            "metadata": {"color": "blue", "tags": ["a", "b"], "draft": null},
            "usersAccesses": {"alice": null},
            "groupsAccesses": {"product": ["room:read"]}
        })
    );
    // Plain pairs set; std maps of changes work the same.
    let body = update_room_body(|b| {
        b.metadata([("color", "blue")])
            .users_accesses(HashMap::from([
                ("bob", Change::Set(vec![Permission::RoomWrite])),
                ("carol", Change::Remove),
            ]))
    })
    .await;
    assert_eq!(
        body,
        json!({
            "metadata": {"color": "blue"},
            "usersAccesses": {"bob": ["room:write"], "carol": null}
        })
    );
    // A map whose entries are all `Keep` changes nothing and is left out.
    let body =
        update_room_body(|b| b.metadata([("color", Change::<RoomMetadataValue>::Keep)])).await;
    assert_eq!(body, json!({}));
}

#[tokio::test]
async fn a_struct_literal_update_sends_exactly_its_changes() {
    let (server, c) = serve(json(200, room_json("r"))).await;
    let body = types::UpdateRoomRequestBody {
        default_accesses: Change::Remove,
        metadata: BTreeMap::from([
            ("size".to_string(), Change::Set("L".into())),
            ("color".to_string(), Change::Remove),
            ("kept".to_string(), Change::Keep),
        ]),
        ..Default::default()
    };
    assert!(body.users_accesses.is_empty() && body.groups_accesses.is_empty());
    c.update_room()
        .room_id("r")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r").await;
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"defaultAccesses":null,"metadata":{"color":null,"size":"L"}}"#
    );
}

#[tokio::test]
async fn a_permission_typo_in_a_change_fails_naming_the_closest_value_and_sends_nothing() {
    let (server, c) = serve(json(200, room_json("r"))).await;
    let err = c
        .update_room()
        .room_id("r")
        .body_map(|b| b.users_accesses([("alice", ["room:wirte"])]))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m)
            if m.starts_with("update_room: ")
                && m.contains("users_accesses")
                && m.contains("did you mean `room:write`?")),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn update_ai_copilot_removes_the_description_and_sets_the_knowledge_prompt() {
    let (server, c) = serve(json(200, copilot())).await;
    let res = c
        .update_ai_copilot()
        .copilot_id("cp_abc123")
        .body_map(|b| {
            b.description(Change::Remove)
                .knowledge_prompt("Use the handbook for policies.")
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/ai/copilots/cp_abc123").await;
    assert_eq!(
        json_body(&request),
        json!({"description": null, "knowledgePrompt": "Use the handbook for policies."})
    );
    assert!(matches!(&*res, types::AiCopilot::OpenAi(c) if c.id == "cp_abc123"));

    // The same as a struct literal; settings and provider options set, the rest kept.
    let (server, c) = serve(json(200, copilot())).await;
    let body = types::UpdateAiCopilotRequestBody {
        description: Change::Remove,
        knowledge_prompt: Change::Set("Use the handbook for policies.".into()),
        settings: Change::Set(types::AiCopilotProviderSettings {
            max_tokens: Some(1024),
            ..Default::default()
        }),
        provider_options: Change::Remove,
        ..Default::default()
    };
    c.update_ai_copilot()
        .copilot_id("cp_abc123")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/ai/copilots/cp_abc123").await;
    assert_eq!(
        json_body(&request),
        json!({
            "description": null,
            "knowledgePrompt": "Use the handbook for policies.",
            "settings": {"maxTokens": 1024},
            "providerOptions": null
        })
    );
}

#[tokio::test]
async fn thread_metadata_patches_take_pairs_of_changes() {
    let (server, c) = serve(json(200, json!({"status": "closed"}))).await;
    c.edit_thread_metadata()
        .room_id("r1")
        .thread_id("th_1")
        .body_map(|b| {
            b.user_id("alice").metadata([
                ("status", Change::set("closed")),
                ("weight", Change::set(0.5)),
                ("pinned", Change::Remove),
            ])
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r1/threads/th_1/metadata").await;
    assert_eq!(
        json_body(&request),
        json!({"metadata": {"status": "closed", "weight": 0.5, "pinned": null}, "userId": "alice"})
    );
}

#[test]
fn change_round_trips_through_json() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Change::is_keep")]
        note: Change<String>,
    }
    for (change, wire) in [
        (Change::Keep, json!({})),
        (Change::Remove, json!({"note": null})),
        (Change::Set("hi".to_string()), json!({"note": "hi"})),
    ] {
        let body = Body { note: change };
        assert_eq!(serde_json::to_value(&body).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Body>(wire).unwrap(), body);
    }
    // The generated bodies decode the same way: missing is Keep, null Remove, a value Set.
    let body: types::UpdateRoomRequestBody = typed(json!({
        "defaultAccesses": null,
        "metadata": {"color": "blue", "draft": null}
    }));
    assert_eq!(body.default_accesses, Change::Remove);
    assert_eq!(body.metadata["color"], Change::Set("blue".into()));
    assert_eq!(body.metadata["draft"], Change::Remove);
    let body: types::UpdateAiCopilotRequestBody = typed(json!({"knowledgePrompt": "k"}));
    assert!(body.description.is_keep());
    assert_eq!(
        body.knowledge_prompt.as_set().map(String::as_str),
        Some("k")
    );
    // `Keep` alone has no JSON form: an error, never a `null` that would remove the value.
    let err = serde_json::to_value(Change::<u8>::Keep).unwrap_err();
    assert!(err.to_string().contains("Change::Keep"), "{err}");
    assert_eq!(
        serde_json::to_value(Change::<u8>::Remove).unwrap(),
        Value::Null
    );
    assert_eq!(Change::from(3).map(|n| n * 2), Change::Set(6));
}

#[tokio::test]
async fn create_room_without_an_id_is_a_missing_field_error_and_sends_nothing() {
    let (server, c) = serve(json(200, room_json("r"))).await;
    let err = c
        .create_room()
        .body_map(|b| b.default_accesses(["room:write"]))
        .send()
        .await
        .unwrap_err();
    let Error::MissingField {
        operation,
        field,
        location,
    } = &err
    else {
        panic!("expected MissingField, got {err:?}");
    };
    assert_eq!(*operation, "create_room");
    assert_eq!(field, "id");
    assert_eq!(*location, FieldLocation::BodyField);
    assert_eq!(
        err.to_string(),
        "create_room: the required body field `id` was not set; call `.id(..)` in `body_map`, \
         or pass a whole body with `.body(..)`; nothing was sent"
    );
    // A builder passed whole says the same.
    let err = c
        .create_room()
        .body(types::CreateRoomRequestBody::builder().default_accesses(["room:write"]))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::MissingField { operation: "create_room", field, location: FieldLocation::BodyField } if field == "id"),
        "{err:?}"
    );
    // A required path parameter: the setter's name.
    let err = c.get_room().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::MissingField { operation: "get_room", field, location: FieldLocation::Parameter } if field == "room_id"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "get_room: the required parameter `room_id` was not set; call `.room_id(..)` on the \
         builder; nothing was sent"
    );
    assert_eq!(err.request_sent(), None);
    // A body without field builder, given whole with `.body(..)`.
    let err = c.broadcast_event().room_id("r").send().await.unwrap_err();
    assert!(
        matches!(&err, Error::MissingField { operation: "broadcast_event", field, location: FieldLocation::Body } if field == "body"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "broadcast_event: the required request body was not set; call `.body(..)` on the \
         builder; nothing was sent"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
