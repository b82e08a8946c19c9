//! Threads and comments: open a thread with a formatted first comment, reply, react, edit the
//! thread's metadata, resolve it, find it again with a thread query, then clean up.
//!
//! Run it against your project with
//! `LIVEBLOCKS_SECRET_KEY=sk_... cargo run --example threads_comments`
//! (`LIVEBLOCKS_BASE_URL` selects another server). The local dev server does not implement the
//! Comments API; `tests/examples_prism.rs` runs this example against a mock of the spec.

use std::collections::BTreeMap;

use liveblocks::comment_body::CommentBodyBuilder;
use liveblocks::query::ThreadQuery;
use liveblocks::types::{
    AddCommentReactionRequestBody, CommentBody, CreateCommentRequestBody, CreateThreadComment,
    CreateThreadRequestBody, EditThreadMetadataRequestBody, MarkThreadAsResolvedRequestBody,
    ThreadMetadata, ThreadMetadataPatch, ThreadMetadataValue,
};
use liveblocks::{Change, Client};

/// The error type of the example.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[allow(dead_code)] // unused when tests/examples_prism.rs includes this file
#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::from_env()?;
    println!("Talking to {}", client.base_url());
    run(&client).await
}

/// Everything the example does, with the client it is given.
pub async fn run(client: &Client) -> Result<(), BoxError> {
    // Comments live in a room.
    let room_id = format!("threads-example-{}", std::process::id());
    client
        .create_room()
        .body_map(|body| {
            body.id(room_id.clone())
                .default_accesses(Vec::<liveblocks::Permission>::new())
        })
        .send()
        .await?;
    println!("Created room {room_id:?}");

    // 1. A thread and its first comment, built without writing the JSON by hand.
    let first = CommentBodyBuilder::new()
        .paragraph(|p| {
            p.text("Could you review ")
                .bold("the new logo")
                .text(" before Friday, ")
                .mention_user("marie")
                .text("?")
        })
        .paragraph(|p| {
            p.text("Files are in ").link(
                "https://example.com/brand/logo-v2",
                Some("the brand folder"),
            )
        })
        .build();
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "status".to_owned(),
        ThreadMetadataValue::String("open".into()),
    );
    metadata.insert("priority".to_owned(), ThreadMetadataValue::Number(2.0));
    let thread = client
        .create_thread()
        .room_id(&room_id)
        .body(CreateThreadRequestBody {
            comment: CreateThreadComment {
                user_id: "ada".into(),
                body: first,
                attachment_ids: vec![],
                created_at: None,
                metadata: None,
            },
            metadata: Some(ThreadMetadata(metadata)),
            visibility: None,
        })
        .send()
        .await?;
    println!("Created thread {}", thread.id);

    // 2. A reply: plain text is enough for most comments.
    let reply = client
        .create_comment()
        .room_id(&room_id)
        .thread_id(&thread.id)
        .body(CreateCommentRequestBody {
            user_id: "marie".into(),
            body: CommentBody::from_text("Looks great, ship it!"),
            attachment_ids: vec![],
            created_at: None,
            metadata: None,
        })
        .send()
        .await?;
    println!("marie replied ({})", reply.id);

    // 3. A reaction to the reply.
    client
        .add_comment_reaction()
        .room_id(&room_id)
        .thread_id(&thread.id)
        .comment_id(&reply.id)
        .body(AddCommentReactionRequestBody {
            user_id: "ada".into(),
            emoji: "🎉".into(),
            created_at: None,
        })
        .send()
        .await?;
    println!("ada reacted with 🎉");

    // 4. Metadata: set `status`, remove `priority` (a `null` value), keep every other key.
    let patch = ThreadMetadataPatch::try_from([
        ("status", Change::set("approved")),
        ("priority", Change::Remove),
    ])?;
    client
        .edit_thread_metadata()
        .room_id(&room_id)
        .thread_id(&thread.id)
        .body(EditThreadMetadataRequestBody {
            metadata: patch,
            user_id: "ada".into(),
            updated_at: None,
        })
        .send()
        .await?;

    // 5. Resolved.
    client
        .mark_thread_as_resolved()
        .room_id(&room_id)
        .thread_id(&thread.id)
        .body(MarkThreadAsResolvedRequestBody {
            user_id: "ada".into(),
        })
        .send()
        .await?;

    // 6. Find resolved, approved threads with the query builder, and print them.
    let query = ThreadQuery::new()
        .resolved(true)
        .metadata("status", "approved");
    println!("Threads matching {query}:");
    let threads = client
        .get_threads()
        .room_id(&room_id)
        .query(query)
        .send()
        .await?;
    for thread in &threads.data {
        println!(
            "- {} (resolved: {}, {} comments)",
            thread.id,
            thread.resolved,
            thread.comments.len()
        );
        for comment in &thread.comments {
            let text = match &comment.body {
                Some(body) => body.plain_text(),
                None => "(deleted)".to_owned(),
            };
            let reactions: Vec<String> = comment
                .reactions
                .iter()
                .map(|r| format!("{} x{}", r.emoji, r.users.len()))
                .collect();
            println!("    {}: {text} {}", comment.user_id, reactions.join(" "));
        }
    }

    // 7. Clean up (deleting the room would also delete its threads).
    client
        .delete_thread()
        .room_id(&room_id)
        .thread_id(&thread.id)
        .send()
        .await?;
    client.delete_room().room_id(&room_id).send().await?;
    println!("Deleted thread {} and room {room_id:?}", thread.id);
    Ok(())
}
