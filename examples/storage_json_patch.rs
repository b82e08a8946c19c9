//! Storage edited with JSON Patch: initialize a room's Storage, change it with several RFC 6902
//! operations in one atomic request, read it back as plain JSON, and see a failing patch change
//! nothing.
//!
//! Run it against your project with
//! `LIVEBLOCKS_SECRET_KEY=sk_... cargo run --example storage_json_patch`.
//! The local dev server does not implement JSON Patch (it answers `501 Not Implemented`); the
//! example says so and exits with an error there.

use liveblocks::Client;
use liveblocks::types::{
    InitializeStorageDocumentRequestBody, JsonPatchOperation, PatchStorageDocumentRequestBody,
    Permission, StorageDocumentFormat, TestJsonPatchOperation, TestJsonPatchOperationOp,
};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let room_id = format!("json-patch-{}", std::process::id());
    client
        .create_room()
        .body_map(|body| {
            body.id(room_id.clone())
                .default_accesses(vec![Permission::RoomWrite])
        })
        .send()
        .await?;
    println!("Created room {room_id:?}");
    let result = run(&client, &room_id).await;
    // Clean up whatever happened.
    client.delete_room().room_id(&room_id).send().await?;
    println!("Deleted room {room_id:?}");
    result
}

async fn run(client: &Client, room_id: &str) -> Result<(), Box<dyn std::error::Error>> {
    // 1. Initialize Storage from LSON: a LiveObject root with a LiveList and a nested LiveObject.
    let initial: InitializeStorageDocumentRequestBody = serde_json::from_value(json!({
        "liveblocksType": "LiveObject",
        "data": {
            "title": "Groceries",
            "items": {"liveblocksType": "LiveList", "data": ["milk", "eggs"]},
            "owner": {"liveblocksType": "LiveObject", "data": {"name": "Ada", "draft": true}}
        }
    }))?;
    client
        .initialize_storage_document()
        .room_id(room_id)
        .body(initial)
        .send()
        .await?;
    println!("Before: {}", read(client, room_id).await?);

    // 2. One request, several operations, applied in order and all-or-nothing. Operations can
    //    be written as JSON, or built as typed values (the `test` operation below).
    let mut patch: PatchStorageDocumentRequestBody = serde_json::from_value(json!([
        {"op": "replace", "path": "/title", "value": "Weekend groceries"},
        {"op": "add", "path": "/items/-", "value": "bread"},
        {"op": "add", "path": "/items/0", "value": "coffee"},
        {"op": "remove", "path": "/owner/draft"},
        {"op": "copy", "from": "/owner/name", "path": "/lastEditor"},
        {"op": "add", "path": "/budget", "value": {"currency": "EUR", "amount": 40}},
        {"op": "move", "from": "/budget/amount", "path": "/budget/limit"}
    ]))?;
    patch
        .0
        .push(JsonPatchOperation::Test(TestJsonPatchOperation {
            op: TestJsonPatchOperationOp::Test,
            path: "/lastEditor".to_string(),
            value: json!("Ada"),
        }));
    println!("Applying {} operations", patch.0.len());
    match client
        .patch_storage_document()
        .room_id(room_id)
        .body(patch)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if e.status().map(|s| s.as_u16()) == Some(501) => {
            return Err(format!(
                "this server does not implement Storage JSON Patch ({e}); the local dev server \
                 is one of them: run the example against a Liveblocks project"
            )
            .into());
        }
        Err(e) => return Err(e.into()),
    }
    println!("After: {}", read(client, room_id).await?);

    // 3. A patch whose `test` fails is refused as a whole (422): the `add` before it is undone.
    let failing: PatchStorageDocumentRequestBody = serde_json::from_value(json!([
        {"op": "add", "path": "/items/-", "value": "cake"},
        {"op": "test", "path": "/title", "value": "Groceries"}
    ]))?;
    let err = client
        .patch_storage_document()
        .room_id(room_id)
        .body(failing)
        .send()
        .await
        .err()
        .ok_or("the failing patch was accepted")?;
    println!(
        "Failing patch refused with status {}",
        err.status().map(|s| s.as_u16()).unwrap_or_default()
    );
    println!("Unchanged: {}", read(client, room_id).await?);
    Ok(())
}

/// The room's Storage as plain JSON.
async fn read(client: &Client, room_id: &str) -> Result<serde_json::Value, liveblocks::Error> {
    Ok(client
        .get_storage_document()
        .room_id(room_id)
        .format(StorageDocumentFormat::Json)
        .send()
        .await?
        .into_inner()
        .0)
}
