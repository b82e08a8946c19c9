//! Wire tests of the 10 Storage operations (the two of CRDT mutations are in
//! `wire_storage_mutation.rs`): the Storage document (plain LSON and `format=json`,
//! initialize, delete, JSON Patch) and Storage files (single upload and multipart upload), what
//! each request looks like on the wire and how each realistic answer decodes.

mod support;

use liveblocks::types::{self, JsonPatchOperation, StorageDocumentFormat};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------------------------
// Realistic answers

/// A Storage tree in plain LSON: every live structure keeps its type.
fn plain_lson() -> Value {
    json!({
        "liveblocksType": "LiveObject",
        "data": {
            "title": "Sprint board",
            "aLiveObject": {"liveblocksType": "LiveObject", "data": {"a": 1}},
            "aLiveList": {"liveblocksType": "LiveList", "data": ["a", "b"]},
            "aLiveMap": {"liveblocksType": "LiveMap", "data": {"a": 1, "b": 2}},
            "cover": {
                "liveblocksType": "LiveFile",
                "data": {"id": "fl_abc123456789012345678", "name": "photo.png", "size": 12345, "mimeType": "image/png"}
            }
        }
    })
}

/// The same tree with `format=json`: live structures flattened to plain JSON.
fn flat_json() -> Value {
    json!({
        "title": "Sprint board",
        "aLiveObject": {"a": 1},
        "aLiveList": ["a", "b"],
        "aLiveMap": {"a": 1, "b": 2},
        "cover": {"id": "fl_abc123456789012345678", "name": "photo.png", "size": 12345, "mimeType": "image/png"}
    })
}

fn live_file(id: &str, name: &str, size: i64, mime_type: &str) -> Value {
    json!({"id": id, "name": name, "size": size, "mimeType": mime_type})
}

// ---------------------------------------------------------------------------------------------
// The Storage document

#[tokio::test]
async fn get_storage_document_without_format_sends_no_query_and_decodes_plain_lson() {
    let (server, c) = serve(json(200, plain_lson())).await;
    let res = c
        .get_storage_document()
        .room_id(TRICKY_ROOM_ID)
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/storage"),
    )
    .await;
    assert_bare(&request);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(res.0, plain_lson());
    assert_eq!(res["data"]["aLiveList"]["liveblocksType"], "LiveList");
    assert_eq!(res["data"]["cover"]["data"]["size"], 12345);
}

#[tokio::test]
async fn get_storage_document_sends_each_format_and_decodes_its_tree() {
    for (format, wire, answer) in [
        (StorageDocumentFormat::Json, "json", flat_json()),
        (StorageDocumentFormat::PlainLson, "plain-lson", plain_lson()),
    ] {
        let (server, c) = serve(json(200, answer.clone())).await;
        let res = c
            .get_storage_document()
            .room_id("my-room")
            .format(format)
            .send()
            .await
            .unwrap();
        let request = received(&server, "GET", "/v2/rooms/my-room/storage").await;
        assert_eq!(request.url.query(), Some(format!("format={wire}").as_str()));
        assert!(request.body.is_empty());
        assert_eq!(res.0, answer, "{wire}");
    }
}

#[tokio::test]
async fn initialize_storage_document_sends_the_lson_tree_and_decodes_the_stored_one() {
    let (server, c) = serve(json(200, plain_lson())).await;
    let body: types::InitializeStorageDocumentRequestBody = typed(plain_lson());
    assert_eq!(
        body.liveblocks_type,
        types::InitializeStorageDocumentRequestBodyLiveblocksType::LiveObject
    );
    let res = c
        .initialize_storage_document()
        .room_id("my-room")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/my-room/storage").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(json_body(&request), plain_lson());

    assert_eq!(res.liveblocks_type, Some("LiveObject".to_string()));
    assert_eq!(res.data["title"], "Sprint board");
    assert_eq!(
        res.data["aLiveMap"],
        json!({"liveblocksType": "LiveMap", "data": {"a": 1, "b": 2}})
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), plain_lson());

    // A root that is not a LiveObject cannot be built.
    assert!(
        serde_json::from_value::<types::InitializeStorageDocumentRequestBody>(
            json!({"liveblocksType": "LiveList", "data": {}})
        )
        .is_err()
    );
}

#[tokio::test]
async fn delete_storage_document_sends_a_bare_delete_and_accepts_an_empty_200() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    let res = c
        .delete_storage_document()
        .room_id("my-room")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/rooms/my-room/storage").await);
    assert_eq!(res.status().as_u16(), 200);
}

/// The six operations in their wire form, in the order the typed list below builds them.
fn six_operations() -> Value {
    json!([
        {"op": "test", "path": "/version", "value": 3},
        {"op": "add", "path": "/tasks/-", "value": {"title": "Write tests", "done": false, "tags": ["qa"]}},
        {"op": "add", "path": "/archived", "value": null},
        {"op": "remove", "path": "/draft"},
        {"op": "replace", "path": "/title", "value": "Sprint 12"},
        {"op": "move", "from": "/tasks/0", "path": "/done/-"},
        {"op": "copy", "from": "/owners/0", "path": "/reviewers/-"}
    ])
}

#[tokio::test]
async fn patch_storage_document_serializes_all_six_operations_exactly() {
    use types::{
        AddJsonPatchOperation, AddJsonPatchOperationOp, CopyJsonPatchOperation,
        CopyJsonPatchOperationOp, MoveJsonPatchOperation, MoveJsonPatchOperationOp,
        RemoveJsonPatchOperation, RemoveJsonPatchOperationOp, ReplaceJsonPatchOperation,
        ReplaceJsonPatchOperationOp, TestJsonPatchOperation, TestJsonPatchOperationOp,
    };
    let ops: Vec<JsonPatchOperation> = vec![
        TestJsonPatchOperation {
            op: TestJsonPatchOperationOp::Test,
            path: "/version".into(),
            value: json!(3),
        }
        .into(),
        AddJsonPatchOperation {
            op: AddJsonPatchOperationOp::Add,
            path: "/tasks/-".into(),
            value: json!({"title": "Write tests", "done": false, "tags": ["qa"]}),
        }
        .into(),
        AddJsonPatchOperation {
            op: AddJsonPatchOperationOp::Add,
            path: "/archived".into(),
            value: Value::Null,
        }
        .into(),
        RemoveJsonPatchOperation {
            op: RemoveJsonPatchOperationOp::Remove,
            path: "/draft".into(),
        }
        .into(),
        ReplaceJsonPatchOperation {
            op: ReplaceJsonPatchOperationOp::Replace,
            path: "/title".into(),
            value: json!("Sprint 12"),
        }
        .into(),
        MoveJsonPatchOperation {
            op: MoveJsonPatchOperationOp::Move,
            from: "/tasks/0".into(),
            path: "/done/-".into(),
        }
        .into(),
        CopyJsonPatchOperation {
            op: CopyJsonPatchOperationOp::Copy,
            from: "/owners/0".into(),
            path: "/reviewers/-".into(),
        }
        .into(),
    ];
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    let res = c
        .patch_storage_document()
        .room_id("my-room")
        .body(types::PatchStorageDocumentRequestBody(ops))
        .send()
        .await
        .unwrap();
    let request = received(&server, "PATCH", "/v2/rooms/my-room/storage/json-patch").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), six_operations());
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn json_patch_operations_decode_to_the_variant_their_op_names() {
    let body: types::PatchStorageDocumentRequestBody = typed(six_operations());
    let kinds: Vec<&str> = body
        .iter()
        .map(|op| match op {
            JsonPatchOperation::Add(_) => "add",
            JsonPatchOperation::Remove(_) => "remove",
            JsonPatchOperation::Replace(_) => "replace",
            JsonPatchOperation::Move(_) => "move",
            JsonPatchOperation::Copy(_) => "copy",
            JsonPatchOperation::Test(_) => "test",
            JsonPatchOperation::Unknown(_) => "unknown",
        })
        .collect();
    assert_eq!(
        kinds,
        ["test", "add", "add", "remove", "replace", "move", "copy"]
    );
    match &body[5] {
        JsonPatchOperation::Move(m) => {
            assert_eq!((m.from.as_str(), m.path.as_str()), ("/tasks/0", "/done/-"))
        }
        other => panic!("expected a move, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&body).unwrap(), six_operations());

    // A body decoded from JSON is sent as exactly that JSON.
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.patch_storage_document()
        .room_id("r")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "PATCH", "/v2/rooms/r/storage/json-patch").await;
    assert_eq!(json_body(&request), six_operations());
}

// ---------------------------------------------------------------------------------------------
// Storage files

#[tokio::test]
async fn get_storage_file_encodes_both_ids_and_decodes_the_download_link() {
    let file = json!({
        "id": "fl_abc123456789012345678",
        "name": "quarterly report.pdf",
        "size": 5_368_709_120i64,
        "mimeType": "application/pdf",
        "url": "https://files.liveblocks.io/fl_abc123456789012345678?X-Amz-Signature=abc&X-Amz-Expires=3600",
        "expiresAt": "2024-10-15T11:30:00.250Z"
    });
    let (server, c) = serve(json(200, file.clone())).await;
    let res = c
        .get_storage_file()
        .room_id(TRICKY_ROOM_ID)
        .file_id("fl_abc123456789012345678")
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/storage/files/fl_abc123456789012345678"),
    )
    .await;
    assert_bare(&request);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(res.name, "quarterly report.pdf");
    assert_eq!(res.size, 5_368_709_120);
    assert_eq!(res.mime_type, "application/pdf");
    assert!(res.url.ends_with("X-Amz-Expires=3600"));
    assert_eq!(
        res.expires_at,
        "2024-10-15T11:30:00.250Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), file);
}

#[tokio::test]
async fn upload_storage_file_sends_the_exact_bytes_and_the_file_size() {
    let bytes = all_bytes();
    let answer = live_file(
        "fl_abc123456789012345678",
        "photo (1).png",
        bytes.len() as i64,
        "image/png",
    );
    let (server, c) = serve(json(200, answer.clone())).await;
    let res = c
        .upload_storage_file()
        .room_id("my-room")
        .file_id("fl_abc123456789012345678")
        .name("photo (1).png")
        .file_size(bytes.len() as i64)
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PUT",
        "/v2/rooms/my-room/storage/files/fl_abc123456789012345678/upload/photo%20(1).png",
    )
    .await;
    assert_eq!(query(&request), pairs(&[("fileSize", "260")]));
    assert_eq!(accept(&request), Some("application/json"));
    assert_octet_stream(&request, &bytes);
    assert_eq!(res.id, "fl_abc123456789012345678");
    assert_eq!(res.size, 260);
    assert_eq!(serde_json::to_value(&*res).unwrap(), answer);

    // Without a file size there is no query.
    let (server, c) = serve(json(200, answer)).await;
    c.upload_storage_file()
        .room_id("my-room")
        .file_id("fl_1")
        .name("a.txt")
        .body(b"hello".to_vec())
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PUT",
        "/v2/rooms/my-room/storage/files/fl_1/upload/a.txt",
    )
    .await;
    assert_eq!(request.url.query(), None);
    assert_octet_stream(&request, b"hello");
}

#[tokio::test]
async fn create_storage_file_multipart_upload_sends_name_and_file_size_without_a_body() {
    let (server, c) = serve(json(
        200,
        json!({"fileId": "fl_abc123456789012345678", "uploadId": "up_7f3a"}),
    ))
    .await;
    let res = c
        .create_storage_file_multipart_upload()
        .room_id("my-room")
        .file_id("fl_abc123456789012345678")
        .name_or_upload_id("holiday video.mp4")
        .file_size(104_857_600i64)
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/my-room/storage/files/fl_abc123456789012345678/multipart/holiday%20video.mp4",
    )
    .await;
    assert_eq!(request.url.query(), Some("fileSize=104857600"));
    assert!(request.body.is_empty());
    assert_eq!(header_str(&request, "content-type"), None);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(
        (res.file_id.as_str(), res.upload_id.as_str()),
        ("fl_abc123456789012345678", "up_7f3a")
    );
}

#[tokio::test]
async fn upload_storage_file_multipart_part_sends_the_part_bytes_to_its_number() {
    let part: Vec<u8> = all_bytes().into_iter().rev().collect();
    let (server, c) = serve(json(
        200,
        json!({"partNumber": 3, "etag": "\"9b2cf535f27731c974343645a3985328\""}),
    ))
    .await;
    let res = c
        .upload_storage_file_multipart_part()
        .room_id("my-room")
        .file_id("fl_abc123456789012345678")
        .upload_id("up/7f3a")
        .part_number(3u32)
        .body(part.clone())
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PUT",
        "/v2/rooms/my-room/storage/files/fl_abc123456789012345678/multipart/up%2F7f3a/3",
    )
    .await;
    assert_eq!(request.url.query(), None);
    assert_octet_stream(&request, &part);
    assert_eq!(res.part_number.get(), 3);
    assert_eq!(res.etag, "\"9b2cf535f27731c974343645a3985328\"");
}

#[tokio::test]
async fn complete_storage_file_multipart_upload_lists_the_parts() {
    let answer = live_file(
        "fl_abc123456789012345678",
        "holiday video.mp4",
        104_857_600,
        "video/mp4",
    );
    let (server, c) = serve(json(200, answer.clone())).await;
    let wire = json!({"parts": [{"partNumber": 1, "etag": "\"e1\""}, {"partNumber": 2, "etag": "\"e2\""}]});
    let body: types::CompleteStorageFileMultipartUploadRequestBody = typed(wire.clone());
    let res = c
        .complete_storage_file_multipart_upload()
        .room_id("my-room")
        .file_id("fl_abc123456789012345678")
        .upload_id("up_7f3a")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/my-room/storage/files/fl_abc123456789012345678/multipart/up_7f3a/complete",
    )
    .await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), wire);
    assert_eq!(res.mime_type, "video/mp4");
    assert_eq!(serde_json::to_value(&*res).unwrap(), answer);

    // Part numbers start at 1: a part 0 is refused while decoding, before any request.
    assert!(
        serde_json::from_value::<types::StorageFileMultipartPart>(
            json!({"partNumber": 0, "etag": "x"})
        )
        .is_err()
    );
}

#[tokio::test]
async fn abort_storage_file_multipart_upload_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .abort_storage_file_multipart_upload()
        .room_id(TRICKY_ROOM_ID)
        .file_id("fl_abc123456789012345678")
        .name_or_upload_id("up_7f3a")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            &format!(
                "/v2/rooms/{TRICKY_ROOM_SEGMENT}/storage/files/fl_abc123456789012345678/multipart/up_7f3a"
            ),
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test]
async fn a_failed_patch_is_a_422_api_error_with_every_field() {
    let (server, c) = serve(api_error_response(
        422,
        "JSON_PATCH_FAILED",
        "Test operation failed at /version",
        "req_patch_1",
    ))
    .await;
    let err = c
        .patch_storage_document()
        .room_id(TRICKY_ROOM_ID)
        .body(typed::<types::PatchStorageDocumentRequestBody>(
            json!([{"op": "test", "path": "/version", "value": 4}]),
        ))
        .send()
        .await
        .unwrap_err();
    let request = received(
        &server,
        "PATCH",
        &format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/storage/json-patch"),
    )
    .await;
    assert_eq!(
        json_body(&request),
        json!([{"op": "test", "path": "/version", "value": 4}])
    );
    assert_api_error(
        &err,
        422,
        "JSON_PATCH_FAILED",
        "Test operation failed at /version",
        "req_patch_1",
    );
}

#[tokio::test]
async fn a_too_large_upload_is_a_413_api_error() {
    let (server, c) = serve(api_error_response(
        413,
        "FILE_TOO_LARGE",
        "Files uploaded in one request are limited to 5 MB",
        "req_upload_9",
    ))
    .await;
    let err = c
        .upload_storage_file()
        .room_id("my-room")
        .file_id("fl_big")
        .name("big.bin")
        .file_size(6_000_000i64)
        .body(vec![7u8; 32])
        .send()
        .await
        .unwrap_err();
    let request = received(
        &server,
        "PUT",
        "/v2/rooms/my-room/storage/files/fl_big/upload/big.bin",
    )
    .await;
    assert_eq!(request.url.query(), Some("fileSize=6000000"));
    assert_api_error(
        &err,
        413,
        "FILE_TOO_LARGE",
        "Files uploaded in one request are limited to 5 MB",
        "req_upload_9",
    );
}
