//! Inbox notifications: trigger a custom `$fileUploaded` notification for a user, walk the
//! user's unread notifications with a stream (every page fetched on demand), and mark one read.
//!
//! Run it against your project with
//! `LIVEBLOCKS_SECRET_KEY=sk_... cargo run --example inbox_notifications`
//! (`LIVEBLOCKS_BASE_URL` selects another server). The local dev server does not implement the
//! Notifications API; `tests/examples_prism.rs` runs this example against a mock of the spec.

use std::collections::BTreeMap;

use futures::StreamExt;
use liveblocks::Client;
use liveblocks::query::InboxNotificationQuery;
use liveblocks::types::{
    InboxNotification, InboxNotificationActivityData, InboxNotificationActivityDataValue,
    TriggerInboxNotificationRequestBody,
};

/// The error type of the example.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[allow(dead_code)] // unused when tests/examples_prism.rs includes this file
#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::from_env()?;
    println!("Talking to {}", client.base_url());
    run(&client, "ada@example.com", 20).await
}

/// Everything the example does: notifies `user_id`, lists at most `max_listed` of their unread
/// notifications, and marks one of them read.
pub async fn run(client: &Client, user_id: &str, max_listed: usize) -> Result<(), BoxError> {
    // 1. A custom notification: the kind starts with `$`; notifications with the same kind and
    //    subject are grouped, each trigger adding an activity with its data.
    let subject_id = format!("upload-{}", std::process::id());
    let mut data = BTreeMap::new();
    data.insert(
        "fileName".to_owned(),
        InboxNotificationActivityDataValue::String("q3-report.pdf".into()),
    );
    data.insert(
        "sizeBytes".to_owned(),
        InboxNotificationActivityDataValue::Number(482_113.0),
    );
    data.insert(
        "uploadedBy".to_owned(),
        InboxNotificationActivityDataValue::String("marie".into()),
    );
    client
        .trigger_inbox_notification()
        .body(TriggerInboxNotificationRequestBody {
            user_id: user_id.into(),
            kind: "$fileUploaded".parse()?,
            subject_id: subject_id.clone(),
            activity_data: InboxNotificationActivityData(data),
            room_id: None,
            organization_id: None,
        })
        .send()
        .await?;
    println!("Notified {user_id} about {subject_id}");

    // 2. The unread inbox, listed with a stream.
    let to_mark = list_unread(client, user_id, max_listed, &subject_id).await?;

    // 3. Mark the notification we triggered as read (the first one listed if it is not there
    //    yet: triggered notifications are delivered asynchronously).
    match to_mark {
        Some(id) => {
            client
                .mark_inbox_notification_as_read()
                .inbox_notification_id(&id)
                .send()
                .await?;
            println!("Marked {id} as read");
        }
        None => println!("Nothing unread"),
    }
    Ok(())
}

/// Prints at most `max_listed` unread notifications of `user_id`, and returns the ID of the one
/// to mark as read: the `$fileUploaded` notification about `subject_id` if it is listed, else
/// the first one. The stream requests pages as the loop consumes them (and the next page while
/// the current one is printed).
async fn list_unread(
    client: &Client,
    user_id: &str,
    max_listed: usize,
    subject_id: &str,
) -> Result<Option<String>, BoxError> {
    let query = InboxNotificationQuery::new().unread(true);
    let mut unread = client
        .get_inbox_notifications()
        .user_id(user_id)
        .query(query)
        .stream()
        .take(max_listed);
    let mut ours = None;
    let mut first = None;
    println!("Unread notifications of {user_id}:");
    while let Some(notification) = unread.next().await {
        let notification = notification?;
        let id = match &notification {
            InboxNotification::Thread(n) => {
                println!(
                    "- new comments in thread {} of room {}",
                    n.thread_id, n.room_id
                );
                Some(n.id.clone())
            }
            InboxNotification::TextMention(n) => {
                println!("- {} mentioned you in room {}", n.created_by, n.room_id);
                Some(n.id.clone())
            }
            InboxNotification::Custom(n) => {
                println!(
                    "- {} about {} ({} activities)",
                    n.kind.as_str(),
                    n.subject_id,
                    n.activities.len()
                );
                for activity in &n.activities {
                    let fields: Vec<String> = activity
                        .data
                        .iter()
                        .map(|(key, value)| format!("{key}={}", serde_json::json!(value)))
                        .collect();
                    println!("    {}: {}", activity.created_at, fields.join(", "));
                }
                if n.kind.as_str() == "$fileUploaded" && n.subject_id == subject_id {
                    ours = Some(n.id.clone());
                }
                Some(n.id.clone())
            }
            // Liveblocks may add kinds of notifications; they arrive here as raw JSON instead
            // of failing the whole listing.
            InboxNotification::Unknown(raw) => {
                let kind = raw.get("kind").and_then(|k| k.as_str()).unwrap_or("?");
                println!("- a notification of a kind this crate does not know: {kind}");
                raw.get("id").and_then(|id| id.as_str()).map(str::to_owned)
            }
        };
        if first.is_none() {
            first = id;
        }
    }
    Ok(ours.or(first))
}
