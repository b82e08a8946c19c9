//! Yjs round trip: send a binary Yjs update to a room, then read the document back as a binary
//! update and as JSON.
//!
//! The update is encoded by hand below (Yjs update format v1) so that the example needs no Yjs
//! library: it sets the shared text `text` to the first command-line argument (default
//! `Hello from Rust`) and the shared map entry `meta.answer` to 42. In an application, the update
//! usually comes from a Yjs library (`Y.encodeStateAsUpdate(doc)` in JavaScript, the `yrs` crate
//! in Rust).
//!
//! Run it against a local dev server with
//! `LIVEBLOCKS_SECRET_KEY=sk_localdev LIVEBLOCKS_BASE_URL=http://127.0.0.1:1153 cargo run --example yjs_roundtrip -- "Grüße"`
//! (see `cargo xtask quickstart` for starting one), or against your project with your secret key.

use futures::TryStreamExt;
use liveblocks::Client;
use liveblocks::types::{Permission, YjsDocumentType};

/// The Yjs client ID the update is written as (any 53-bit number; Yjs picks a random one).
const YJS_CLIENT_ID: u64 = 1_853_569_240;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Hello from Rust".to_string());
    let client = Client::from_env()?;
    let room_id = format!("yjs-roundtrip-{}", std::process::id());
    client
        .create_room()
        .body_map(|body| {
            body.id(room_id.clone())
                .default_accesses(vec![Permission::RoomWrite])
        })
        .send()
        .await?;
    println!("Created room {room_id:?}");

    // 1. Send the update (`PUT /v2/rooms/{roomId}/ydoc`, `application/octet-stream`).
    let update = encode_update(YJS_CLIENT_ID, &text, 42);
    println!("Sending a {}-byte update: {}", update.len(), hex(&update));
    client
        .send_yjs_binary_update()
        .room_id(&room_id)
        .body(update.clone())
        .send()
        .await?;

    // 2. Read the whole document back as one binary update.
    let binary = client
        .get_yjs_document_as_binary_update()
        .room_id(&room_id)
        .send()
        .await?
        .into_inner()
        .into_inner()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await?;
    println!("Binary read back: {} bytes: {}", binary.len(), hex(&binary));
    println!(
        "Binary read back is identical to the update sent: {}",
        binary == update
    );

    // 3. Read it as JSON: the whole document, then only the shared text.
    let doc = client.get_yjs_document().room_id(&room_id).send().await?;
    println!("JSON: {}", doc.0);
    let only_text = client
        .get_yjs_document()
        .room_id(&room_id)
        .key("text")
        .type_(YjsDocumentType::Ytext)
        .send()
        .await?;
    println!("Text: {}", only_text.0);

    client.delete_room().room_id(&room_id).send().await?;
    println!("Deleted room {room_id:?}");
    Ok(())
}

/// Encodes a Yjs v1 update made by one client: the root text `text` holds `text`, and the root
/// map `meta` holds `answer: <answer>`.
fn encode_update(client_id: u64, text: &str, answer: i64) -> Vec<u8> {
    let mut out = Vec::new();
    write_var_uint(&mut out, 1); // one client
    write_var_uint(&mut out, 2); // two structs
    write_var_uint(&mut out, client_id);
    write_var_uint(&mut out, 0); // clock of the first struct
    // Struct 1: a string item (content ref 4) whose parent is the root type named `text`.
    out.push(4);
    write_var_uint(&mut out, 1); // parent given by name
    write_var_string(&mut out, "text");
    write_var_string(&mut out, text);
    // Struct 2: an "any" item (content ref 8) with a parent key (0x20) in the root map `meta`.
    out.push(8 | 0x20);
    write_var_uint(&mut out, 1);
    write_var_string(&mut out, "meta");
    write_var_string(&mut out, "answer");
    write_var_uint(&mut out, 1); // one value
    out.push(125); // an integer
    write_var_int(&mut out, answer);
    write_var_uint(&mut out, 0); // empty delete set
    out
}

fn write_var_uint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Yjs signed varint: the first byte holds 6 bits, a sign bit (0x40) and a continuation bit.
fn write_var_int(out: &mut Vec<u8>, n: i64) {
    let negative = n < 0;
    let mut rest = n.unsigned_abs();
    let first = (rest & 0x3f) as u8 | if negative { 0x40 } else { 0 };
    rest >>= 6;
    out.push(first | if rest > 0 { 0x80 } else { 0 });
    while rest > 0 {
        let byte = (rest & 0x7f) as u8;
        rest >>= 7;
        out.push(byte | if rest > 0 { 0x80 } else { 0 });
    }
}

/// A string as its UTF-8 length and bytes.
fn write_var_string(out: &mut Vec<u8>, s: &str) {
    write_var_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
