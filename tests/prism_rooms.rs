//! The spec's request schemas checked against real requests: every Rooms, Storage, Yjs, Version
//! history and Auth operation is sent through the client to Prism, which validates it against
//! openapi/liveblocks.yaml. A request Prism rejects is a spec or client bug.

// The deprecated legacy authorize endpoints are exercised on purpose.
#![allow(deprecated)]

mod support;

use liveblocks::Error;
use serde_json::json;
use support::*;

#[tokio::test]
async fn prism_accepts_every_rooms_storage_yjs_versions_and_auth_request() {
    let server = prism();
    let c = prism_client(&server);
    let mut v = Verdicts::default();
    let room = "room a/b é";

    v.check(
        "get_rooms",
        c.get_rooms()
            .limit(10u32)
            .starting_after("c1")
            .organization_id("o")
            .query("roomId^\"a\"")
            .user_id("u")
            .group_ids("g1,g2")
            .send()
            .await,
    );
    v.check("create_room", c.create_room().idempotent(true).body(typed::<liveblocks::types::CreateRoomRequestBody>(json!({"id": "r1", "defaultAccesses": ["room:write"], "usersAccesses": {"alice": ["room:read"]}, "metadata": {"color": "blue", "tags": ["a", "b"]}, "organizationId": "o"}))).send().await);
    v.check("get_room", c.get_room().room_id(room).send().await);
    v.check("update_room", c.update_room().room_id(room).body(typed::<liveblocks::types::UpdateRoomRequestBody>(json!({"defaultAccesses": ["room:read"], "usersAccesses": {"alice": null, "bob": ["room:write"]}, "metadata": {"color": null, "size": "L"}}))).send().await);
    v.check("delete_room", c.delete_room().room_id(room).send().await);
    v.check(
        "get_active_users",
        c.get_active_users().room_id(room).send().await,
    );
    v.check(
        "broadcast_event",
        c.broadcast_event()
            .room_id(room)
            .body(typed::<liveblocks::types::BroadcastEventRequestBody>(
                json!({"type": "EMOJI", "emoji": "🔥"}),
            ))
            .send()
            .await,
    );
    v.check("set_presence", c.set_presence().room_id(room).body(typed::<liveblocks::types::SetPresenceRequestBody>(json!({"userId": "agent", "data": {"cursor": {"x": 1, "y": 2}}, "userInfo": {"name": "Agent"}, "ttl": 60}))).send().await);
    v.check("prewarm_room", c.prewarm_room().room_id(room).send().await);
    v.check(
        "update_room_organization_id",
        c.update_room_organization_id()
            .room_id(room)
            .body(typed::<
                liveblocks::types::UpdateRoomOrganizationIdRequestBody,
            >(
                json!({"fromOrganizationId": "a", "toOrganizationId": "b"}),
            ))
            .send()
            .await,
    );
    v.check(
        "update_room_id",
        c.update_room_id()
            .room_id(room)
            .body(typed::<liveblocks::types::UpdateRoomIdRequestBody>(
                json!({"newRoomId": "r2"}),
            ))
            .send()
            .await,
    );
    v.check("upsert_room", c.upsert_room().room_id(room).body(typed::<liveblocks::types::UpsertRoomRequestBody>(json!({"update": {"metadata": {"color": "red"}}, "create": {"defaultAccesses": []}}))).send().await);
    v.check(
        "get_storage_document",
        c.get_storage_document()
            .room_id(room)
            .format(liveblocks::types::StorageDocumentFormat::Json)
            .send()
            .await,
    );
    v.check(
        "initialize_storage_document",
        c.initialize_storage_document()
            .room_id(room)
            .body(typed::<
                liveblocks::types::InitializeStorageDocumentRequestBody,
            >(
                json!({"liveblocksType": "LiveObject", "data": {"a": 1}})
            ))
            .send()
            .await,
    );
    v.check(
        "delete_storage_document",
        c.delete_storage_document().room_id(room).send().await,
    );
    v.check("patch_storage_document", c.patch_storage_document().room_id(room).body(typed::<liveblocks::types::PatchStorageDocumentRequestBody>(json!([{"op": "add", "path": "/a", "value": 1}, {"op": "remove", "path": "/b"}, {"op": "replace", "path": "/c", "value": "x"}, {"op": "move", "from": "/d", "path": "/e"}, {"op": "copy", "from": "/e", "path": "/f"}, {"op": "test", "path": "/a", "value": 1}]))).send().await);
    v.check(
        "get_storage_file",
        c.get_storage_file()
            .room_id(room)
            .file_id("f1")
            .send()
            .await,
    );
    v.check(
        "upload_storage_file",
        c.upload_storage_file()
            .room_id(room)
            .file_id("f1")
            .name("photo.png")
            .file_size(3i64)
            .body(vec![1u8, 2, 3])
            .send()
            .await,
    );
    v.check(
        "create_storage_file_multipart_upload",
        c.create_storage_file_multipart_upload()
            .room_id(room)
            .file_id("f1")
            .name_or_upload_id("big.bin")
            .file_size(10_000_000i64)
            .send()
            .await,
    );
    v.check(
        "abort_storage_file_multipart_upload",
        c.abort_storage_file_multipart_upload()
            .room_id(room)
            .file_id("f1")
            .name_or_upload_id("up1")
            .send()
            .await,
    );
    v.check(
        "complete_storage_file_multipart_upload",
        c.complete_storage_file_multipart_upload()
            .room_id(room)
            .file_id("f1")
            .upload_id("up1")
            .body(typed::<
                liveblocks::types::CompleteStorageFileMultipartUploadRequestBody,
            >(
                json!({"parts": [{"partNumber": 1, "etag": "e1"}]})
            ))
            .send()
            .await,
    );
    v.check(
        "upload_storage_file_multipart_part",
        c.upload_storage_file_multipart_part()
            .room_id(room)
            .file_id("f1")
            .upload_id("up1")
            .part_number(1u32)
            .body(vec![0u8; 16])
            .send()
            .await,
    );
    v.check(
        "get_yjs_document",
        c.get_yjs_document()
            .room_id(room)
            .formatting(true)
            .key("text")
            .type_(liveblocks::types::YjsDocumentType::Ytext)
            .send()
            .await,
    );
    v.check(
        "send_yjs_binary_update",
        c.send_yjs_binary_update()
            .room_id(room)
            .guid("sub-doc")
            .body(vec![1u8, 2, 3])
            .send()
            .await,
    );
    v.check(
        "get_yjs_document_as_binary_update",
        c.get_yjs_document_as_binary_update()
            .room_id(room)
            .guid("sub-doc")
            .send()
            .await,
    );
    v.check(
        "get_version_history",
        c.get_version_history()
            .room_id(room)
            .limit(5u32)
            .cursor("c")
            .send()
            .await,
    );
    v.check(
        "create_version_history_snapshot",
        c.create_version_history_snapshot()
            .room_id(room)
            .send()
            .await,
    );
    v.check(
        "delete_version",
        c.delete_version()
            .room_id(room)
            .version_id("v1")
            .send()
            .await,
    );
    v.check(
        "get_yjs_version",
        c.get_yjs_version()
            .room_id(room)
            .version_id("v1")
            .send()
            .await,
    );
    v.check("authorize_user", c.authorize_user().body(typed::<liveblocks::types::AuthorizeUserRequestBody>(json!({"userId": "u", "permissions": {"r*": ["room:write"]}, "userInfo": {"name": "U"}, "organizationId": "o"}))).send().await);
    v.check(
        "identify_user",
        c.identify_user("u")
            .group_ids(["g"])
            .organization_id("o")
            .authorize()
            .await,
    );
    v.check(
        "authorize_room_legacy",
        c.authorize_room_legacy()
            .room_id(room)
            .body(typed::<liveblocks::types::AuthorizeRoomLegacyRequestBody>(
                json!({"userId": "u", "groupIds": ["g"], "userInfo": {}}),
            ))
            .send()
            .await,
    );
    v.check(
        "authorize_public_legacy",
        c.authorize_public_legacy()
            .room_id(room)
            .body(
                typed::<liveblocks::types::AuthorizePublicLegacyRequestBody>(
                    json!({"publicApiKey": "pk_test_123"}),
                ),
            )
            .send()
            .await,
    );
    v.assert_none_rejected();
}

/// The check bites: bodies that break the spec are rejected.
#[tokio::test]
async fn prism_rejects_invalid_bodies() {
    let server = prism();
    let c = prism_client(&server);
    let invalid: [(
        &str,
        Result<liveblocks::ResponseValue<liveblocks::types::Room>, Error>,
    ); 2] = [
        (
            "create_room with a permission the spec does not have",
            c.create_room()
                .body_map(|b| {
                    b.id("r")
                        .default_accesses(vec![liveblocks::Permission::Unknown(
                            "room:destroy".into(),
                        )])
                })
                .send()
                .await,
        ),
        (
            "set_presence ttl out of range",
            Err(c
                .set_presence()
                .room_id("r")
                .body(typed::<liveblocks::types::SetPresenceRequestBody>(
                    json!({"userId": "u", "data": {}, "userInfo": {}, "ttl": 100000}),
                ))
                .send()
                .await
                .unwrap_err()),
        ),
    ];
    for (name, result) in invalid {
        let err = result.expect_err(name);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{name}: {err}");
    }
    let err = c
        .authorize_user()
        .body(typed::<liveblocks::types::AuthorizeUserRequestBody>(
            json!({"userId": "u", "permissions": {"r": ["room:destroy"]}}),
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(422),
        "an unknown permission: {err}"
    );
}
