//! Wire tests of the 25 Comments operations (threads, comments, reactions, metadata,
//! subscriptions and attachments): what each request looks like on the wire (method, raw path,
//! query, headers, JSON or binary body) and how each realistic answer decodes.

mod support;

use liveblocks::types::{self, Comment, CommentBody, CommentBodyInlineElement, Thread};
use liveblocks::{Change, Error};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------------------------
// Realistic answers (shapes from the REST reference and the official SDK models). Timestamps
// carry milliseconds so that they serialize back unchanged.

/// A comment body with nested formatting, a user mention, a group mention and a link, written
/// with its keys in the order the client serializes them (alphabetical), so that the exact
/// bytes can be compared.
const RICH_BODY: &str = concat!(
    r#"{"content":[{"children":["#,
    r#"{"text":"Hi "},"#,
    r#"{"id":"marie","kind":"user","type":"mention"},"#,
    r#"{"text":", the "},"#,
    r#"{"bold":true,"italic":true,"text":"final"},"#,
    r#"{"code":true,"text":" logo.svg "},"#,
    r#"{"strikethrough":true,"text":"draft"},"#,
    r#"{"text":" is on "},"#,
    r#"{"text":"Figma","type":"link","url":"https://www.figma.com/file/abc?node=1%3A2"},"#,
    r#"{"text":" — cc "},"#,
    r#"{"id":"designers","kind":"group","type":"mention","userIds":["ana","bo"]}"#,
    r#"],"type":"paragraph"},"#,
    r#"{"children":[{"text":"Thanks! 🎉"}],"type":"paragraph"}"#,
    r#"],"version":1}"#
);

fn rich_body() -> Value {
    serde_json::from_str(RICH_BODY).unwrap()
}

fn comment_json(id: &str) -> Value {
    json!({
        "type": "comment",
        "id": id,
        "threadId": "th_8Gd1",
        "roomId": "design/review 1",
        "userId": "alice",
        "createdAt": "2026-03-02T09:00:00.120Z",
        "editedAt": "2026-03-02T09:10:00.450Z",
        "body": rich_body(),
        "metadata": {"source": "mobile", "spam": false, "score": 0.75},
        "reactions": [
            {"emoji": "👍", "createdAt": "2026-03-02T09:05:00.300Z", "users": [{"id": "marie"}, {"id": "bo"}]},
            {"emoji": "👨‍👩‍👧", "createdAt": "2026-03-02T09:06:00.300Z", "users": [{"id": "ana"}]}
        ],
        "attachments": [
            {"type": "attachment", "id": "at_7Hq2", "name": "mockup.png", "size": 48213, "mimeType": "image/png"}
        ]
    })
}

fn deleted_comment_json() -> Value {
    json!({
        "type": "comment",
        "id": "cm_gone",
        "threadId": "th_8Gd1",
        "roomId": "design/review 1",
        "userId": "bo",
        "createdAt": "2026-03-02T09:01:00.100Z",
        "deletedAt": "2026-03-02T09:02:00.200Z",
        "metadata": {},
        "reactions": [],
        "attachments": []
    })
}

fn thread_json(id: &str, resolved: bool) -> Value {
    json!({
        "type": "thread",
        "id": id,
        "roomId": "design/review 1",
        "comments": [comment_json("cm_2Lk9"), deleted_comment_json()],
        "createdAt": "2026-03-02T09:00:00.120Z",
        "updatedAt": "2026-03-02T09:10:00.450Z",
        "metadata": {"status": "open", "pinned": true, "weight": 0.5},
        "resolved": resolved,
        "visibility": "public"
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn assert_rich_comment(c: &Comment) {
    assert_eq!(c.id, "cm_2Lk9");
    assert_eq!(c.user_id, "alice");
    assert_eq!(c.created_at, t("2026-03-02T09:00:00.120Z"));
    assert_eq!(c.edited_at, Some(t("2026-03-02T09:10:00.450Z")));
    assert_eq!(c.deleted_at, None);
    assert_eq!(
        serde_json::to_string(c.body.as_ref().unwrap()).unwrap(),
        RICH_BODY
    );
    assert_eq!(
        c.metadata.get("spam"),
        Some(&types::CommentMetadataValue::Boolean(false))
    );
    assert_eq!(
        c.metadata.get("score"),
        Some(&types::CommentMetadataValue::Number(0.75))
    );
    assert_eq!(c.reactions.len(), 2);
    assert_eq!(c.reactions[0].emoji, "👍");
    let users: Vec<&str> = c.reactions[0].users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(users, ["marie", "bo"]);
    assert_eq!(c.reactions[1].emoji, "👨‍👩‍👧");
    assert_eq!(c.attachments[0].id, "at_7Hq2");
    assert_eq!(c.attachments[0].size, 48213);
    assert_eq!(c.attachments[0].mime_type, "image/png");
}

// ---------------------------------------------------------------------------------------------
// Comment bodies

#[test]
fn a_rich_comment_body_round_trips_byte_for_byte() {
    let body: CommentBody = serde_json::from_str(RICH_BODY).expect("decodes");
    assert_eq!(body.version, 1);
    assert_eq!(body.content.len(), 2);
    let types::CommentBodyBlockElement::Paragraph(first) = &body.content[0] else {
        panic!("expected a paragraph, got {:?}", body.content[0])
    };
    let children = &first.children;
    assert_eq!(children.len(), 10);
    match &children[1] {
        CommentBodyInlineElement::Mention(m) => {
            assert_eq!(
                (m.id.as_str(), &m.kind),
                ("marie", &types::CommentBodyMentionKind::User)
            );
            assert!(m.user_ids.is_empty());
        }
        other => panic!("expected a mention, got {other:?}"),
    }
    match &children[3] {
        CommentBodyInlineElement::Text(text) => {
            assert_eq!(text.text, "final");
            assert_eq!(
                (text.bold, text.italic, text.code, text.strikethrough),
                (Some(true), Some(true), None, None)
            );
        }
        other => panic!("expected formatted text, got {other:?}"),
    }
    match &children[7] {
        CommentBodyInlineElement::Link(link) => {
            assert_eq!(link.url, "https://www.figma.com/file/abc?node=1%3A2");
            assert_eq!(link.text.as_deref(), Some("Figma"));
        }
        other => panic!("a link with a text must stay a link, got {other:?}"),
    }
    match &children[9] {
        CommentBodyInlineElement::Mention(m) => {
            assert_eq!(m.kind, types::CommentBodyMentionKind::Group);
            assert_eq!(m.user_ids, ["ana", "bo"]);
        }
        other => panic!("expected a group mention, got {other:?}"),
    }
    assert_eq!(serde_json::to_string(&body).unwrap(), RICH_BODY);
}

#[test]
fn unknown_blocks_and_mention_kinds_decode_and_serialize_back_unchanged() {
    let body = json!({
        "version": 1,
        "content": [
            {"type": "paragraph", "children": [{"type": "mention", "kind": "team", "id": "t1"}]},
            {"type": "code-block", "language": "rust", "children": [{"text": "fn main() {}"}]}
        ]
    });
    let decoded: CommentBody = round_trip(&body);
    let types::CommentBodyBlockElement::Paragraph(p) = &decoded.content[0] else {
        panic!("expected a paragraph")
    };
    let CommentBodyInlineElement::Mention(m) = &p.children[0] else {
        panic!("expected a mention")
    };
    assert_eq!(
        m.kind,
        types::CommentBodyMentionKind::Unknown("team".into())
    );
    match &decoded.content[1] {
        types::CommentBodyBlockElement::Unknown(raw) => assert_eq!(raw, &body["content"][1]),
        other => panic!("expected the catch-all, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Threads

#[tokio::test]
async fn get_threads_encodes_the_room_and_the_query_and_decodes_the_threads() {
    let page = json!({"data": [thread_json("th_8Gd1", false), thread_json("th_9Zz0", true)]});
    let (server, c) = serve(json(200, page.clone())).await;
    let q = r#"metadata["status"]:"open" AND resolved:false"#;
    let res = c
        .get_threads()
        .room_id("design/review 1")
        .query(q)
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/design%2Freview%201/threads").await;
    assert_eq!(query(&request), pairs(&[("query", q)]));
    assert_eq!(header_str(&request, "accept"), Some("application/json"));
    assert!(request.body.is_empty());

    assert_eq!(res.data.len(), 2);
    let first = &res.data[0];
    assert_eq!(first.id, "th_8Gd1");
    assert!(!first.resolved);
    assert!(res.data[1].resolved);
    assert_eq!(first.visibility, types::ThreadVisibility::Public);
    assert_eq!(first.room_id, "design/review 1");
    assert_eq!(
        first.metadata.get("status"),
        Some(&types::ThreadMetadataValue::String("open".into()))
    );
    assert_eq!(
        first.metadata.get("pinned"),
        Some(&types::ThreadMetadataValue::Boolean(true))
    );
    assert_rich_comment(&first.comments[0]);
    let deleted = &first.comments[1];
    assert_eq!(deleted.body, None);
    assert_eq!(deleted.deleted_at, Some(t("2026-03-02T09:02:00.200Z")));
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn get_threads_without_a_query_sends_none() {
    let (server, c) = serve(json(200, json!({"data": []}))).await;
    let res = c.get_threads().room_id("r1").send().await.unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/r1/threads").await);
    assert!(res.data.is_empty());
}

#[tokio::test]
async fn create_thread_sends_the_first_comment_and_decodes_the_thread() {
    let (server, c) = serve(json(200, thread_json("th_new", false))).await;
    let body = json!({
        "comment": {
            "userId": "alice",
            "createdAt": "2026-03-02T09:00:00.120Z",
            "body": rich_body(),
            "metadata": {"source": "api", "priority": 2.5},
            "attachmentIds": ["at_7Hq2"]
        },
        "metadata": {"status": "open", "pinned": false},
        "visibility": "private"
    });
    let res = c
        .create_thread()
        .room_id("design/review 1")
        .body(typed::<types::CreateThreadRequestBody>(body.clone()))
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/design%2Freview%201/threads").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), body);
    assert_eq!(res.id, "th_new");
    assert_eq!(res.comments.len(), 2);
}

#[tokio::test]
async fn get_thread_encodes_both_ids_and_accepts_an_unknown_visibility() {
    let mut thread = thread_json("th/8 Gd1", false);
    thread["visibility"] = json!("team-only");
    let (server, c) = serve(json(200, thread.clone())).await;
    let res = c
        .get_thread()
        .room_id("design/review 1")
        .thread_id("th/8 Gd1")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/rooms/design%2Freview%201/threads/th%2F8%20Gd1",
        )
        .await,
    );
    assert_eq!(
        res.visibility,
        types::ThreadVisibility::Unknown("team-only".into())
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), thread);
}

#[tokio::test]
async fn delete_thread_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_thread()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/rooms/r1/threads/th_8Gd1").await);
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn get_thread_participants_decodes_the_ids() {
    let (server, c) = serve(json(200, json!({"participantIds": ["alice", "marie"]}))).await;
    #[allow(deprecated)]
    let res = c
        .get_thread_participants()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/r1/threads/th_8Gd1/participants").await);
    assert_eq!(res.participant_ids, ["alice", "marie"]);
}

#[tokio::test]
async fn get_thread_inbox_notifications_decodes_the_list() {
    let list = json!({"data": [
        {
            "kind": "thread",
            "id": "in_1",
            "roomId": "r1",
            "threadId": "th_8Gd1",
            "userId": "alice",
            "notifiedAt": "2026-03-02T09:10:00.450Z",
            "readAt": null
        },
        {
            "kind": "thread",
            "id": "in_2",
            "roomId": "r1",
            "threadId": "th_8Gd1",
            "userId": "marie",
            "notifiedAt": "2026-03-02T09:11:00.450Z",
            "readAt": "2026-03-02T09:12:00.450Z"
        }
    ]});
    let (server, c) = serve(json(200, list.clone())).await;
    let res = c
        .get_thread_inbox_notifications()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/rooms/r1/threads/th_8Gd1/inbox-notifications",
        )
        .await,
    );
    let ids: Vec<Value> = res
        .data
        .iter()
        .map(|n| serde_json::to_value(n).unwrap()["id"].clone())
        .collect();
    assert_eq!(ids, [json!("in_1"), json!("in_2")]);
    assert_eq!(serde_json::to_value(&*res).unwrap(), list);
}

#[tokio::test]
async fn edit_thread_metadata_sends_explicit_nulls_for_removed_keys() {
    let (server, c) = serve(json(200, json!({"status": "closed", "weight": 0.5}))).await;
    // Pairs of `&str` keys and changes: set (from plain values), remove (`null`).
    let patch = types::ThreadMetadataPatch::try_from([
        ("status", Change::set("closed")),
        ("pinned", Change::Remove),
        ("weight", Change::set(0.5)),
    ])
    .unwrap();
    let res = c
        .edit_thread_metadata()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .body(types::EditThreadMetadataRequestBody {
            metadata: patch,
            user_id: "alice".into(),
            updated_at: Some(t("2026-03-02T09:20:00.250Z")),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r1/threads/th_8Gd1/metadata").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"metadata":{"pinned":null,"status":"closed","weight":0.5},"updatedAt":"2026-03-02T09:20:00.250Z","userId":"alice"}"#
    );
    assert_eq!(
        header_str(&request, "content-type"),
        Some("application/json")
    );
    assert_eq!(res.len(), 2);
    assert_eq!(
        res.get("status"),
        Some(&types::ThreadMetadataValue::String("closed".into()))
    );
    assert!(!res.contains_key("pinned"));
}

#[tokio::test]
async fn mark_thread_as_resolved_and_unresolved_send_the_user() {
    for (resolved, suffix) in [(true, "mark-as-resolved"), (false, "mark-as-unresolved")] {
        let (server, c) = serve(json(200, thread_json("th_8Gd1", resolved))).await;
        let res = if resolved {
            c.mark_thread_as_resolved()
                .room_id("r 1")
                .thread_id("th_8Gd1")
                .body(types::MarkThreadAsResolvedRequestBody {
                    user_id: "alice".into(),
                })
                .send()
                .await
        } else {
            c.mark_thread_as_unresolved()
                .room_id("r 1")
                .thread_id("th_8Gd1")
                .body(types::MarkThreadAsUnresolvedRequestBody {
                    user_id: "alice".into(),
                })
                .send()
                .await
        }
        .unwrap();
        let request = received(
            &server,
            "POST",
            &format!("/v2/rooms/r%201/threads/th_8Gd1/{suffix}"),
        )
        .await;
        assert_eq!(json_body(&request), json!({"userId": "alice"}));
        assert_eq!(res.resolved, resolved, "{suffix}");
    }
}

#[tokio::test]
async fn subscribe_to_thread_sends_the_user_and_decodes_the_subscription() {
    let sub =
        json!({"kind": "thread", "subjectId": "th_8Gd1", "createdAt": "2026-03-02T09:00:00.120Z"});
    let (server, c) = serve(json(200, sub.clone())).await;
    let res = c
        .subscribe_to_thread()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .body(types::SubscribeToThreadRequestBody {
            user_id: "marie".into(),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r1/threads/th_8Gd1/subscribe").await;
    assert_eq!(json_body(&request), json!({"userId": "marie"}));
    let decoded: types::ThreadSubscription = round_trip(&sub);
    assert_eq!(*res, decoded);
    assert_eq!(res.subject_id, "th_8Gd1");
    assert_eq!(res.created_at, t("2026-03-02T09:00:00.120Z"));
}

#[tokio::test]
async fn unsubscribe_from_thread_accepts_an_empty_object() {
    let (server, c) = serve(json(200, json!({}))).await;
    let res = c
        .unsubscribe_from_thread()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .body(types::UnsubscribeFromThreadRequestBody {
            user_id: "marie".into(),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r1/threads/th_8Gd1/unsubscribe").await;
    assert_eq!(json_body(&request), json!({"userId": "marie"}));
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn get_thread_subscriptions_decodes_the_users() {
    let list = json!({"data": [
        {"kind": "thread", "subjectId": "th_8Gd1", "createdAt": "2026-03-02T09:00:00.120Z", "userId": "alice"},
        {"kind": "thread", "subjectId": "th_8Gd1", "createdAt": "2026-03-02T09:05:00.300Z", "userId": "marie"}
    ]});
    let (server, c) = serve(json(200, list.clone())).await;
    let res = c
        .get_thread_subscriptions()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/r1/threads/th_8Gd1/subscriptions").await);
    let users: Vec<&str> = res.data.iter().map(|s| s.user_id.as_str()).collect();
    assert_eq!(users, ["alice", "marie"]);
    assert_eq!(serde_json::to_value(&*res).unwrap(), list);
}

// ---------------------------------------------------------------------------------------------
// Comments

#[tokio::test]
async fn create_comment_sends_the_rich_body_byte_for_byte() {
    let (server, c) = serve(json(200, comment_json("cm_new"))).await;
    let body = types::CreateCommentRequestBody {
        user_id: "alice".into(),
        body: serde_json::from_str(RICH_BODY).unwrap(),
        created_at: Some(t("2026-03-02T09:00:00.120Z")),
        metadata: Some(typed(json!({"source": "api"}))),
        attachment_ids: vec!["at_7Hq2".into()],
    };
    let res = c
        .create_comment()
        .room_id("design/review 1")
        .thread_id("th_8Gd1")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/design%2Freview%201/threads/th_8Gd1/comments",
    )
    .await;
    assert_eq!(
        header_str(&request, "content-type"),
        Some("application/json")
    );
    let expected = format!(
        r#"{{"attachmentIds":["at_7Hq2"],"body":{RICH_BODY},"createdAt":"2026-03-02T09:00:00.120Z","metadata":{{"source":"api"}},"userId":"alice"}}"#
    );
    assert_eq!(std::str::from_utf8(&request.body).unwrap(), expected);
    assert_eq!(res.id, "cm_new");
    assert_eq!(
        serde_json::to_string(res.body.as_ref().unwrap()).unwrap(),
        RICH_BODY
    );
}

#[tokio::test]
async fn get_comment_encodes_the_ids_and_decodes_reactions_and_attachments() {
    let comment = comment_json("cm_2Lk9");
    let (server, c) = serve(json(200, comment.clone())).await;
    let res = c
        .get_comment()
        .room_id("design/review 1")
        .thread_id("th_8Gd1")
        .comment_id("cm/2 Lk9")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/rooms/design%2Freview%201/threads/th_8Gd1/comments/cm%2F2%20Lk9",
        )
        .await,
    );
    assert_rich_comment(&res);
    assert_eq!(serde_json::to_value(&*res).unwrap(), comment);
    let deleted: Comment = round_trip(&deleted_comment_json());
    assert!(deleted.body.is_none() && deleted.reactions.is_empty());
}

#[tokio::test]
async fn edit_comment_sends_the_new_body_and_removes_metadata_with_null() {
    let (server, c) = serve(json(200, comment_json("cm_2Lk9"))).await;
    let new_body = json!({"version": 1, "content": [{"type": "paragraph", "children": [
        {"text": "Updated: "}, {"text": "ship it", "bold": true}
    ]}]});
    let body = json!({
        "body": new_body,
        "editedAt": "2026-03-02T10:00:00.500Z",
        "metadata": {"source": null, "reviewed": true},
        "attachmentIds": ["at_7Hq2", "at_8Jk3"]
    });
    let res = c
        .edit_comment()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .comment_id("cm_2Lk9")
        .body(typed::<types::EditCommentRequestBody>(body.clone()))
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/threads/th_8Gd1/comments/cm_2Lk9",
    )
    .await;
    assert_eq!(json_body(&request), body);
    assert!(
        std::str::from_utf8(&request.body)
            .unwrap()
            .contains(r#""source":null"#)
    );
    assert_eq!(res.id, "cm_2Lk9");
}

#[tokio::test]
async fn delete_comment_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    c.delete_comment()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .comment_id("cm_2Lk9")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/rooms/r1/threads/th_8Gd1/comments/cm_2Lk9",
        )
        .await,
    );
}

#[tokio::test]
async fn edit_comment_metadata_sends_explicit_nulls_for_removed_keys() {
    let (server, c) = serve(json(200, json!({"reviewed": true, "score": 0.75}))).await;
    let body = json!({
        "metadata": {"spam": null, "reviewed": true, "score": 0.75},
        "userId": "marie"
    });
    let res = c
        .edit_comment_metadata()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .comment_id("cm_2Lk9")
        .body(typed::<types::EditCommentMetadataRequestBody>(body.clone()))
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/threads/th_8Gd1/comments/cm_2Lk9/metadata",
    )
    .await;
    assert_eq!(json_body(&request), body);
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"metadata":{"reviewed":true,"score":0.75,"spam":null},"userId":"marie"}"#
    );
    assert_eq!(
        res.get("reviewed"),
        Some(&types::CommentMetadataValue::Boolean(true))
    );
}

#[tokio::test]
async fn add_comment_reaction_sends_the_emoji_and_decodes_the_reaction() {
    let reaction = json!({"emoji": "👨‍👩‍👧", "createdAt": "2026-03-02T09:06:00.300Z", "userId": "ana"});
    let (server, c) = serve(json(200, reaction.clone())).await;
    let res = c
        .add_comment_reaction()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .comment_id("cm_2Lk9")
        .body(types::AddCommentReactionRequestBody {
            user_id: "ana".into(),
            emoji: "👨‍👩‍👧".into(),
            created_at: Some(t("2026-03-02T09:06:00.300Z")),
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/threads/th_8Gd1/comments/cm_2Lk9/add-reaction",
    )
    .await;
    assert_eq!(json_body(&request), reaction);
    assert_eq!((res.emoji.as_str(), res.user_id.as_str()), ("👨‍👩‍👧", "ana"));
    assert_eq!(serde_json::to_value(&*res).unwrap(), reaction);
}

#[tokio::test]
async fn remove_comment_reaction_sends_the_emoji_and_accepts_no_content() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    c.remove_comment_reaction()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .comment_id("cm_2Lk9")
        .body(types::RemoveCommentReactionRequestBody {
            user_id: "ana".into(),
            emoji: "👍".into(),
            removed_at: None,
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/threads/th_8Gd1/comments/cm_2Lk9/remove-reaction",
    )
    .await;
    assert_eq!(json_body(&request), json!({"userId": "ana", "emoji": "👍"}));
}

#[tokio::test]
async fn an_api_error_decodes_into_error_api() {
    let (server, c) = serve(json(
        404,
        json!({
            "error": "COMMENT_NOT_FOUND",
            "message": "Comment cm_missing not found",
            "suggestion": "Check the comment ID"
        }),
    ))
    .await;
    let err = c
        .get_comment()
        .room_id("r1")
        .thread_id("th_8Gd1")
        .comment_id("cm_missing")
        .send()
        .await
        .unwrap_err();
    received(
        &server,
        "GET",
        "/v2/rooms/r1/threads/th_8Gd1/comments/cm_missing",
    )
    .await;
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("COMMENT_NOT_FOUND"));
    assert_eq!(api.message.as_deref(), Some("Comment cm_missing not found"));
    assert_eq!(api.suggestion.as_deref(), Some("Check the comment ID"));
    assert!(!format!("{api:?}").contains(WIRE_SECRET));
}

// ---------------------------------------------------------------------------------------------
// Attachments

fn attachment_json() -> Value {
    json!({"type": "attachment", "id": "at_7Hq2", "name": "mockup v2.png", "size": 264, "mimeType": "image/png"})
}

/// Every byte value, including ones that are not valid UTF-8.
fn file_bytes() -> Vec<u8> {
    (0..=255u8)
        .chain(b"\x89PNG\r\n\x1a\n\x00\xff".iter().copied())
        .collect()
}

#[tokio::test]
async fn get_attachment_decodes_the_download_url() {
    let att = json!({
        "type": "attachment", "id": "at_7Hq2", "name": "mockup.png", "size": 48213, "mimeType": "image/png",
        "url": "https://files.example.com/at_7Hq2?X-Amz-Signature=abc", "expiresAt": "2026-03-02T10:15:00.500Z"
    });
    let (server, c) = serve(json(200, att.clone())).await;
    let res = c
        .get_attachment()
        .room_id("design/review 1")
        .attachment_id("at_7Hq2")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/rooms/design%2Freview%201/attachments/at_7Hq2",
        )
        .await,
    );
    assert_eq!(
        res.url,
        "https://files.example.com/at_7Hq2?X-Amz-Signature=abc"
    );
    assert_eq!(res.expires_at, t("2026-03-02T10:15:00.500Z"));
    assert_eq!(serde_json::to_value(&*res).unwrap(), att);
}

#[tokio::test]
async fn upload_attachment_sends_the_exact_bytes_as_octet_stream() {
    let bytes = file_bytes();
    let (server, c) = serve(json(200, attachment_json())).await;
    let res = c
        .upload_attachment()
        .room_id("design/review 1")
        .attachment_id("at_7Hq2")
        .name("mockup v2.png")
        .user_id("alice")
        .file_size(bytes.len() as i64)
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PUT",
        "/v2/rooms/design%2Freview%201/attachments/at_7Hq2/upload/mockup%20v2.png",
    )
    .await;
    assert_eq!(
        query(&request),
        pairs(&[("fileSize", "266"), ("userId", "alice")])
    );
    assert_octet_stream(&request, &bytes);
    let expected: types::CommentAttachment = round_trip(&attachment_json());
    assert_eq!(*res, expected);
}

#[tokio::test]
async fn create_attachment_multipart_upload_sends_the_name_and_size() {
    let (server, c) = serve(json(
        200,
        json!({"attachmentId": "at_7Hq2", "uploadId": "up_91xk"}),
    ))
    .await;
    let res = c
        .create_attachment_multipart_upload()
        .room_id("r1")
        .attachment_id("at_7Hq2")
        .name_or_upload_id("screen recording.mp4")
        .file_size(52_428_800i64)
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/attachments/at_7Hq2/multipart/screen%20recording.mp4",
    )
    .await;
    assert_eq!(query(&request), pairs(&[("fileSize", "52428800")]));
    assert!(request.body.is_empty());
    assert_eq!(
        (res.attachment_id.as_str(), res.upload_id.as_str()),
        ("at_7Hq2", "up_91xk")
    );
}

#[tokio::test]
async fn upload_attachment_multipart_part_sends_the_exact_bytes() {
    let bytes = file_bytes();
    let (server, c) = serve(json(200, json!({"partNumber": 2, "etag": "\"abc123\""}))).await;
    let res = c
        .upload_attachment_multipart_part()
        .room_id("r1")
        .attachment_id("at_7Hq2")
        .upload_id("up/91 xk")
        .part_number(std::num::NonZeroU32::new(2).unwrap())
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PUT",
        "/v2/rooms/r1/attachments/at_7Hq2/multipart/up%2F91%20xk/2",
    )
    .await;
    assert_eq!(request.url.query(), None);
    assert_octet_stream(&request, &bytes);
    assert_eq!(res.part_number.get(), 2);
    assert_eq!(res.etag, "\"abc123\"");
}

#[tokio::test]
async fn complete_attachment_multipart_upload_sends_the_parts_and_the_user() {
    let (server, c) = serve(json(200, attachment_json())).await;
    let body = json!({"parts": [
        {"partNumber": 1, "etag": "\"e1\""},
        {"partNumber": 2, "etag": "\"e2\""}
    ]});
    let res = c
        .complete_attachment_multipart_upload()
        .room_id("r1")
        .attachment_id("at_7Hq2")
        .upload_id("up_91xk")
        .user_id("alice")
        .body(typed::<types::CompleteAttachmentMultipartUploadRequestBody>(body.clone()))
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/attachments/at_7Hq2/multipart/up_91xk/complete",
    )
    .await;
    assert_eq!(query(&request), pairs(&[("userId", "alice")]));
    assert_eq!(json_body(&request), body);
    assert_eq!(res.name, "mockup v2.png");
}

#[tokio::test]
async fn abort_attachment_multipart_upload_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    c.abort_attachment_multipart_upload()
        .room_id("r1")
        .attachment_id("at_7Hq2")
        .name_or_upload_id("up_91xk")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/rooms/r1/attachments/at_7Hq2/multipart/up_91xk",
        )
        .await,
    );
}

#[test]
fn a_thread_round_trips_through_the_generated_types() {
    let thread: Thread = round_trip(&thread_json("th_8Gd1", true));
    assert!(thread.resolved);
}

#[tokio::test]
async fn get_threads_takes_a_typed_thread_query() {
    let (server, c) = serve(json(200, json!({"data": []}))).await;
    let q = liveblocks::query::ThreadQuery::new()
        .resolved(false)
        .metadata("status", "open")
        .metadata_gte("priority", 2);
    c.get_threads()
        .room_id("r1")
        .query(&q)
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/r1/threads").await;
    assert_eq!(
        query(&request),
        pairs(&[(
            "query",
            r#"resolved:false AND metadata["status"]:"open" AND metadata["priority"]>=2"#
        )])
    );
}
