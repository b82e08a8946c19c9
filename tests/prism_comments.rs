//! The spec's request schemas checked against real requests: every Comments operation (threads,
//! comments, reactions, metadata, subscriptions, attachments) is sent through the client to
//! Prism, which validates it against openapi/liveblocks.yaml. A request Prism rejects is a spec
//! or client bug.
//!
//! Known blind spot (measured with Prism 5): a body whose schema holds a `nullable` map value
//! without a `type` (`allOf: [$ref], nullable: true`, the shape that gives
//! `Option<ThreadMetadataValue>` values) is not validated at all, so `edit_thread_metadata`,
//! `edit_comment` and `edit_comment_metadata` always pass here; `tests/wire_comments.rs` checks
//! their exact bytes instead. The invalid bodies below therefore use operations Prism validates.

mod support;

use liveblocks::types;
use serde_json::{Value, json};
use support::*;

/// A body with every inline element: formatted text, user and group mentions, links with and
/// without a text.
fn rich_body() -> Value {
    json!({"version": 1, "content": [
        {"type": "paragraph", "children": [
            {"text": "Hi "},
            {"type": "mention", "kind": "user", "id": "marie"},
            {"text": "the final", "bold": true, "italic": true},
            {"text": "logo.svg", "code": true},
            {"text": "draft", "strikethrough": true},
            {"type": "link", "url": "https://example.com/a", "text": "Figma"},
            {"type": "link", "url": "https://example.com/b"},
            {"type": "mention", "kind": "group", "id": "designers", "userIds": ["ana", "bo"]}
        ]},
        {"type": "paragraph", "children": [{"text": "Thanks"}]}
    ]})
}

#[tokio::test]
async fn prism_accepts_every_comments_request() {
    let server = prism();
    let c = prism_client(&server);
    let mut v = Verdicts::default();
    let room = "room a/b é";
    let thread = "th_1 /x";
    let comment = "cm_1 /x";

    v.check(
        "get_threads",
        c.get_threads()
            .room_id(room)
            .query(r#"metadata["status"]:"open" AND resolved:false"#)
            .send()
            .await,
    );
    v.check("create_thread", c.create_thread().room_id(room).body(typed::<types::CreateThreadRequestBody>(json!({"comment": {"userId": "alice", "createdAt": "2026-03-02T09:00:00.120Z", "body": rich_body(), "metadata": {"source": "api", "n": 2.5, "ok": true}, "attachmentIds": ["at_1"]}, "metadata": {"status": "open", "priority": 2, "pinned": false}, "visibility": "private"}))).send().await);
    v.check(
        "get_thread",
        c.get_thread().room_id(room).thread_id(thread).send().await,
    );
    v.check(
        "delete_thread",
        c.delete_thread()
            .room_id(room)
            .thread_id(thread)
            .send()
            .await,
    );
    #[allow(deprecated)]
    let participants = c
        .get_thread_participants()
        .room_id(room)
        .thread_id(thread)
        .send()
        .await;
    v.check("get_thread_participants", participants);
    v.check(
        "get_thread_inbox_notifications",
        c.get_thread_inbox_notifications()
            .room_id(room)
            .thread_id(thread)
            .send()
            .await,
    );
    v.check("edit_thread_metadata", c.edit_thread_metadata().room_id(room).thread_id(thread).body(typed::<types::EditThreadMetadataRequestBody>(json!({"metadata": {"status": "closed", "pinned": null, "priority": 3, "archived": true}, "userId": "alice", "updatedAt": "2026-03-02T09:20:00.250Z"}))).send().await);
    v.check(
        "mark_thread_as_resolved",
        c.mark_thread_as_resolved()
            .room_id(room)
            .thread_id(thread)
            .body(types::MarkThreadAsResolvedRequestBody {
                user_id: "alice".into(),
            })
            .send()
            .await,
    );
    v.check(
        "mark_thread_as_unresolved",
        c.mark_thread_as_unresolved()
            .room_id(room)
            .thread_id(thread)
            .body(types::MarkThreadAsUnresolvedRequestBody {
                user_id: "alice".into(),
            })
            .send()
            .await,
    );
    v.check(
        "subscribe_to_thread",
        c.subscribe_to_thread()
            .room_id(room)
            .thread_id(thread)
            .body(types::SubscribeToThreadRequestBody {
                user_id: "marie".into(),
            })
            .send()
            .await,
    );
    v.check(
        "unsubscribe_from_thread",
        c.unsubscribe_from_thread()
            .room_id(room)
            .thread_id(thread)
            .body(types::UnsubscribeFromThreadRequestBody {
                user_id: "marie".into(),
            })
            .send()
            .await,
    );
    v.check(
        "get_thread_subscriptions",
        c.get_thread_subscriptions()
            .room_id(room)
            .thread_id(thread)
            .send()
            .await,
    );
    v.check("create_comment", c.create_comment().room_id(room).thread_id(thread).body(typed::<types::CreateCommentRequestBody>(json!({"userId": "marie", "body": rich_body(), "createdAt": "2026-03-02T09:00:00.120Z", "metadata": {"source": "api"}, "attachmentIds": ["at_1", "at_2"]}))).send().await);
    v.check(
        "get_comment",
        c.get_comment()
            .room_id(room)
            .thread_id(thread)
            .comment_id(comment)
            .send()
            .await,
    );
    v.check("edit_comment", c.edit_comment().room_id(room).thread_id(thread).comment_id(comment).body(typed::<types::EditCommentRequestBody>(json!({"body": rich_body(), "editedAt": "2026-03-02T10:00:00.500Z", "metadata": {"source": null, "reviewed": true}, "attachmentIds": ["at_1"]}))).send().await);
    v.check(
        "delete_comment",
        c.delete_comment()
            .room_id(room)
            .thread_id(thread)
            .comment_id(comment)
            .send()
            .await,
    );
    v.check("edit_comment_metadata", c.edit_comment_metadata().room_id(room).thread_id(thread).comment_id(comment).body(typed::<types::EditCommentMetadataRequestBody>(json!({"metadata": {"spam": null, "score": 0.75, "label": "x"}, "userId": "marie", "updatedAt": "2026-03-02T10:00:00.500Z"}))).send().await);
    v.check(
        "add_comment_reaction",
        c.add_comment_reaction()
            .room_id(room)
            .thread_id(thread)
            .comment_id(comment)
            .body(types::AddCommentReactionRequestBody {
                user_id: "ana".into(),
                emoji: "👨‍👩‍👧".into(),
                created_at: Some("2026-03-02T09:06:00.300Z".parse().unwrap()),
            })
            .send()
            .await,
    );
    v.check(
        "remove_comment_reaction",
        c.remove_comment_reaction()
            .room_id(room)
            .thread_id(thread)
            .comment_id(comment)
            .body(types::RemoveCommentReactionRequestBody {
                user_id: "ana".into(),
                emoji: "👍".into(),
                removed_at: Some("2026-03-02T09:07:00.300Z".parse().unwrap()),
            })
            .send()
            .await,
    );
    v.check(
        "get_attachment",
        c.get_attachment()
            .room_id(room)
            .attachment_id("at_1")
            .send()
            .await,
    );
    v.check(
        "upload_attachment",
        c.upload_attachment()
            .room_id(room)
            .attachment_id("at_1")
            .name("mockup v2.png")
            .user_id("alice")
            .file_size(4i64)
            .body(vec![0x89u8, b'P', 0x00, 0xff])
            .send()
            .await,
    );
    v.check(
        "create_attachment_multipart_upload",
        c.create_attachment_multipart_upload()
            .room_id(room)
            .attachment_id("at_1")
            .name_or_upload_id("screen recording.mp4")
            .file_size(52_428_800i64)
            .send()
            .await,
    );
    v.check(
        "upload_attachment_multipart_part",
        c.upload_attachment_multipart_part()
            .room_id(room)
            .attachment_id("at_1")
            .upload_id("up_1")
            .part_number(std::num::NonZeroU32::new(3).unwrap())
            .body(vec![1u8; 1024])
            .send()
            .await,
    );
    v.check(
        "complete_attachment_multipart_upload",
        c.complete_attachment_multipart_upload()
            .room_id(room)
            .attachment_id("at_1")
            .upload_id("up_1")
            .user_id("alice")
            .body(typed::<types::CompleteAttachmentMultipartUploadRequestBody>(
                json!({"parts": [{"partNumber": 1, "etag": "\"e1\""}, {"partNumber": 2, "etag": "\"e2\""}]}),
            ))
            .send()
            .await,
    );
    v.check(
        "abort_attachment_multipart_upload",
        c.abort_attachment_multipart_upload()
            .room_id(room)
            .attachment_id("at_1")
            .name_or_upload_id("up_1")
            .send()
            .await,
    );
    v.assert_none_rejected();
}

/// The check bites: bodies that break the spec are rejected.
#[tokio::test]
async fn prism_rejects_invalid_comments_bodies() {
    let server = prism();
    let c = prism_client(&server);

    // A block type the spec does not know (the client keeps it in the catch-all).
    let unknown_block = typed::<types::CreateCommentRequestBody>(json!({
        "userId": "marie",
        "body": {"version": 1, "content": [{"type": "table", "rows": []}]}
    }));
    let err = c
        .create_comment()
        .room_id("r1")
        .thread_id("th_1")
        .body(unknown_block)
        .send()
        .await
        .expect_err("an unknown block type must be rejected");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err}");

    // A mention kind outside the spec's enum, in the first comment of a new thread.
    let unknown_kind = typed::<types::CreateThreadRequestBody>(json!({
        "comment": {"userId": "alice", "body": {"version": 1, "content": [{"type": "paragraph", "children": [
            {"type": "mention", "kind": "team", "id": "t1"}
        ]}]}}
    }));
    let err = c
        .create_thread()
        .room_id("r1")
        .body(unknown_kind)
        .send()
        .await
        .expect_err("an unknown mention kind must be rejected");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err}");

    // A visibility outside the spec's enum.
    let err = c
        .create_thread()
        .room_id("r1")
        .body(typed::<types::CreateThreadRequestBody>(json!({
            "comment": {"userId": "alice", "body": {"version": 1, "content": []}},
            "visibility": "team-only"
        })))
        .send()
        .await
        .expect_err("an unknown visibility must be rejected");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err}");
}
