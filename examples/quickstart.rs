//! Quickstart: create a room, write and read its Storage, issue an access token, clean up.
//!
//! Run it against a local dev server (no account, no key) with `cargo xtask quickstart`, or
//! against your own project with `LIVEBLOCKS_SECRET_KEY=sk_... cargo run --example quickstart`.

use std::collections::BTreeMap;

use liveblocks::Client;
use liveblocks::types::{InitializeStorageDocumentRequestBody, Permission, StorageDocumentFormat};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    println!("Talking to {}", client.base_url());

    // 1. A room that only its members may enter.
    let room_id = format!("quickstart-{}", std::process::id());
    let room = client
        .create_room()
        .body_map(|body| {
            body.id(room_id.clone())
                .default_accesses(Vec::<liveblocks::Permission>::new())
        })
        .send()
        .await?;
    println!(
        "Created room {:?} (created at {})",
        room.id, room.created_at
    );

    // 2. Storage: initialize it from plain LSON, read it back as plain JSON.
    let storage: InitializeStorageDocumentRequestBody = serde_json::from_value(json!({
        "liveblocksType": "LiveObject",
        "data": {
            "title": "Quickstart",
            "todos": {"liveblocksType": "LiveList", "data": ["create a room", "write Storage"]}
        }
    }))?;
    client
        .initialize_storage_document()
        .room_id(&room_id)
        .body(storage)
        .send()
        .await?;
    let read = client
        .get_storage_document()
        .room_id(&room_id)
        .format(StorageDocumentFormat::Json)
        .send()
        .await?;
    println!("Storage is now {}", read.0);

    // 3. An access token a front end can use to enter the room.
    let mut permissions = BTreeMap::new();
    permissions.insert(room_id.clone(), vec![Permission::RoomWrite]);
    let token = client
        .authorize_user()
        .body_map(|body| body.user_id("ada@example.com").permissions(permissions))
        .send()
        .await?;
    println!(
        "Issued an access token for ada@example.com ({} characters)",
        token.token.len()
    );

    // 4. Clean up.
    client.delete_room().room_id(&room_id).send().await?;
    println!("Deleted room {room_id:?}");
    Ok(())
}
