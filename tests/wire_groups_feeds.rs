//! Wire tests of the 7 Groups and 9 Feeds operations: what each request looks like on the wire
//! (method, raw path, query, headers, JSON body) and how each realistic answer decodes, plus
//! the streams over the four paginated lists (`startingAfter` for groups, `cursor` for feeds).

mod support;

use std::collections::BTreeMap;

use liveblocks::Change;
use liveblocks::types::{self, FeedMetadataValue};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------------------------
// Realistic answers

fn group(id: &str) -> Value {
    json!({
        "type": "group",
        "id": id,
        "organizationId": "org_acme",
        "createdAt": "2024-10-01T14:00:00.100Z",
        "updatedAt": "2024-10-03T09:20:00.200Z",
        "scopes": {"mention": true},
        "members": [
            {"id": "alice", "addedAt": "2024-10-01T14:00:00.100Z"},
            {"id": "marie", "addedAt": "2024-10-03T09:20:00.200Z"}
        ]
    })
}

fn feed(id: &str) -> Value {
    json!({
        "feedId": id,
        "metadata": {"channel": "support", "tags": ["billing", "urgent"]},
        "createdAt": 1_730_794_360_000_i64,
        "updatedAt": 1_730_797_960_123_i64
    })
}

fn message(id: &str) -> Value {
    json!({
        "id": id,
        "createdAt": 1_730_794_420_000_i64,
        "updatedAt": 1_730_794_480_500_i64,
        "data": {"type": "text", "text": "Deploy finished in 42 s.", "attachments": [{"n": 1}]}
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Groups

#[tokio::test]
async fn get_groups_sends_the_page_query_and_decodes_groups() {
    let page = json!({"data": [group("design-team"), group("ops")], "nextCursor": "g_next"});
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_groups()
        .limit(100u32)
        .starting_after("g_prev")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/groups").await;
    assert_eq!(
        query(&request),
        pairs(&[("limit", "100"), ("startingAfter", "g_prev")])
    );
    assert!(request.body.is_empty());
    assert_eq!(res.next_cursor.as_deref(), Some("g_next"));
    let g = &res.data[0];
    assert_eq!(g.id, "design-team");
    assert_eq!(g.organization_id.as_deref(), Some("org_acme"));
    assert_eq!(g.scopes.mention, Some(true));
    assert_eq!(g.members[1].id, "marie");
    assert_eq!(g.members[1].added_at, t("2024-10-03T09:20:00.200Z"));
    assert_eq!(g.updated_at, t("2024-10-03T09:20:00.200Z"));
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn get_groups_without_parameters_sends_no_query() {
    let (server, c) = serve(json(200, json!({"data": [], "nextCursor": null}))).await;
    let res = c.get_groups().send().await.unwrap();
    assert_bare(&received(&server, "GET", "/v2/groups").await);
    assert_eq!(res.next_cursor, None);
}

#[tokio::test]
async fn create_group_sends_id_members_organization_and_scopes() {
    let (server, c) = serve(json(200, group("design-team"))).await;
    let res = c
        .create_group()
        .body(types::CreateGroupRequestBody {
            id: "design-team".into(),
            member_ids: strings(&["alice", "marie"]),
            organization_id: Some("org_acme".into()),
            scopes: Some(types::GroupScopes {
                mention: Some(true),
            }),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/groups").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({
            "id": "design-team",
            "memberIds": ["alice", "marie"],
            "organizationId": "org_acme",
            "scopes": {"mention": true}
        })
    );
    assert_eq!(res.id, "design-team");
    assert_eq!(res.members.len(), 2);

    // Only the ID is required.
    let (server, c) = serve(json(200, group("empty"))).await;
    c.create_group()
        .body_map(|b| b.id("empty"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"id": "empty"})
    );
}

#[tokio::test]
async fn get_group_percent_encodes_the_id() {
    let (server, c) = serve(json(200, group("a/b c"))).await;
    let res = c.get_group().group_id("a/b c").send().await.unwrap();
    assert_bare(&received(&server, "GET", "/v2/groups/a%2Fb%20c").await);
    assert_eq!(res.id, "a/b c");
    assert_eq!(res.type_.to_string(), "group");
}

#[tokio::test]
async fn delete_group_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c.delete_group().group_id("ops").send().await.unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/groups/ops").await);
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn add_and_remove_group_members_send_the_member_ids() {
    let (server, c) = serve(json(200, group("ops"))).await;
    let res = c
        .add_group_members()
        .group_id("ops")
        .body(types::AddGroupMembersRequestBody {
            member_ids: strings(&["jonas", "li"]),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/groups/ops/add-members").await;
    assert_eq!(json_body(&request), json!({"memberIds": ["jonas", "li"]}));
    assert_eq!(res.id, "ops");

    let (server, c) = serve(json(200, group("ops"))).await;
    c.remove_group_members()
        .group_id("ops")
        .body(types::RemoveGroupMembersRequestBody {
            member_ids: strings(&["jonas"]),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/groups/ops/remove-members").await;
    assert_eq!(json_body(&request), json!({"memberIds": ["jonas"]}));
}

#[tokio::test]
async fn get_user_groups_sends_the_page_query() {
    let page = json!({"data": [group("ops")], "nextCursor": null});
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_user_groups()
        .user_id("alice@example.com")
        .limit(5u32)
        .starting_after("g_1")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/users/alice@example.com/groups").await;
    assert_eq!(
        query(&request),
        pairs(&[("limit", "5"), ("startingAfter", "g_1")])
    );
    assert_eq!(res.data[0].id, "ops");
    assert_eq!(res.next_cursor, None);
    // A null cursor is left out when the page is serialized again.
    assert_eq!(
        serde_json::to_value(&*res).unwrap(),
        json!({"data": page["data"]})
    );
}

#[tokio::test]
async fn a_group_with_extra_fields_and_no_organization_still_decodes() {
    let mut g = group("legacy");
    g.as_object_mut().unwrap().remove("organizationId");
    g["tenantId"] = json!("t_old");
    g["scopes"] = json!({});
    let (_server, c) = serve(json(200, g)).await;
    let res = c.get_group().group_id("legacy").send().await.unwrap();
    assert_eq!(res.organization_id, None);
    assert_eq!(res.scopes.mention, None);
}

// ---------------------------------------------------------------------------------------------
// Feeds

#[tokio::test]
async fn get_feeds_sends_cursor_since_and_limit_and_decodes_millisecond_times() {
    let page = json!({"data": [feed("deploys"), feed("alerts")], "nextCursor": "f_next"});
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_feeds()
        .room_id("room 1")
        .cursor("f_prev")
        .since(1_730_000_000_000_i64)
        .limit(10u32)
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/room%201/feeds").await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("cursor", "f_prev"),
            ("limit", "10"),
            ("since", "1730000000000")
        ])
    );
    assert!(request.body.is_empty());
    assert_eq!(res.next_cursor.as_deref(), Some("f_next"));
    let f = &res.data[0];
    assert_eq!(f.feed_id, "deploys");
    assert_eq!(f.created_at, 1_730_794_360_000);
    assert_eq!(f.updated_at, 1_730_797_960_123);
    assert_eq!(
        f.metadata.get("tags"),
        Some(&FeedMetadataValue::Array(strings(&["billing", "urgent"])))
    );
    assert_eq!(
        f.metadata.get("channel"),
        Some(&FeedMetadataValue::String("support".into()))
    );
    // Numbers go back out as numbers, not ISO strings.
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn an_iso_timestamp_is_not_a_feed_time() {
    let mut f = feed("x");
    f["createdAt"] = json!("2024-11-05T08:12:40.000Z");
    let (_server, c) = serve(json(200, f)).await;
    let err = c
        .get_feed()
        .room_id("r")
        .feed_id("x")
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[tokio::test]
async fn create_feed_sends_feed_id_metadata_and_timestamp() {
    let (server, c) = serve(json(200, feed("deploys"))).await;
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "channel".to_string(),
        FeedMetadataValue::String("support".into()),
    );
    metadata.insert(
        "tags".to_string(),
        FeedMetadataValue::Array(strings(&["billing"])),
    );
    let res = c
        .create_feed()
        .room_id("r1")
        .body(types::CreateFeedRequestBody {
            feed_id: "deploys".into(),
            metadata: Some(types::FeedMetadata(metadata)),
            timestamp: Some(1_730_794_360_000),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r1/feeds").await;
    assert_eq!(
        json_body(&request),
        json!({
            "feedId": "deploys",
            "metadata": {"channel": "support", "tags": ["billing"]},
            "timestamp": 1_730_794_360_000_i64
        })
    );
    assert_eq!(res.feed_id, "deploys");

    let (server, c) = serve(json(200, feed("bare"))).await;
    c.create_feed()
        .room_id("r1")
        .body_map(|b| b.feed_id("bare"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"feedId": "bare"})
    );
}

#[tokio::test]
async fn get_feed_percent_encodes_both_ids() {
    let (server, c) = serve(json(200, feed("a/b"))).await;
    let res = c
        .get_feed()
        .room_id("r?1")
        .feed_id("a/b")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/rooms/r%3F1/feeds/a%2Fb").await);
    assert_eq!(res.feed_id, "a/b");
}

#[tokio::test]
async fn update_feed_patches_metadata_with_null_for_removed_keys() {
    let (server, c) = serve(json(200, feed("deploys"))).await;
    let mut patch = BTreeMap::new();
    patch.insert(
        "channel".to_string(),
        Change::Set(FeedMetadataValue::String("sales".into())),
    );
    patch.insert("tags".to_string(), Change::Remove);
    let res = c
        .update_feed()
        .room_id("r1")
        .feed_id("deploys")
        .body(types::UpdateFeedRequestBody {
            metadata: types::FeedMetadataPatch(patch),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "PATCH", "/v2/rooms/r1/feeds/deploys").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"metadata": {"channel": "sales", "tags": null}})
    );
    assert_eq!(res.feed_id, "deploys");
}

#[tokio::test]
async fn delete_feed_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_feed()
        .room_id("r1")
        .feed_id("deploys")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/rooms/r1/feeds/deploys").await);
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn get_feed_messages_sends_cursor_since_and_limit() {
    let page = json!({"data": [message("m1"), message("m2")], "nextCursor": null});
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_feed_messages()
        .room_id("r1")
        .feed_id("deploys")
        .cursor("m_prev")
        .since(1_730_794_000_000_i64)
        .limit(100u32)
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/rooms/r1/feeds/deploys/messages").await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("cursor", "m_prev"),
            ("limit", "100"),
            ("since", "1730794000000")
        ])
    );
    assert_eq!(res.next_cursor, None);
    let m = &res.data[1];
    assert_eq!(m.id, "m2");
    assert_eq!(m.created_at, 1_730_794_420_000);
    assert_eq!(m.updated_at, 1_730_794_480_500);
    assert_eq!(m.data.get("attachments"), Some(&json!([{"n": 1}])));
    assert_eq!(
        serde_json::to_value(&*res).unwrap(),
        json!({"data": page["data"]})
    );
}

fn message_data(value: Value) -> types::FeedMessageData {
    serde_json::from_value(value).expect("a JSON object")
}

#[tokio::test]
async fn create_feed_message_sends_data_id_and_timestamp() {
    let (server, c) = serve(json(200, message("m1"))).await;
    let res = c
        .create_feed_message()
        .room_id("r1")
        .feed_id("deploys")
        .body(types::CreateFeedMessageRequestBody {
            id: Some("m1".into()),
            data: message_data(json!({"type": "text", "text": "Deploy started.", "n": 1})),
            timestamp: Some(1_730_794_400_000),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/rooms/r1/feeds/deploys/messages").await;
    assert_eq!(
        json_body(&request),
        json!({
            "id": "m1",
            "data": {"type": "text", "text": "Deploy started.", "n": 1},
            "timestamp": 1_730_794_400_000_i64
        })
    );
    assert_eq!(res.id, "m1");
}

#[tokio::test]
async fn update_feed_message_patches_data_and_timestamp() {
    let (server, c) = serve(json(200, message("m/1"))).await;
    let res = c
        .update_feed_message()
        .room_id("r1")
        .feed_id("deploys")
        .message_id("m/1")
        .body(types::UpdateFeedMessageRequestBody {
            data: message_data(json!({"text": "Deploy finished."})),
            timestamp: Some(1_730_794_480_500),
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PATCH",
        "/v2/rooms/r1/feeds/deploys/messages/m%2F1",
    )
    .await;
    assert_eq!(
        json_body(&request),
        json!({"data": {"text": "Deploy finished."}, "timestamp": 1_730_794_480_500_i64})
    );
    assert_eq!(res.updated_at, 1_730_794_480_500);

    let (server, c) = serve(json(200, message("m1"))).await;
    c.update_feed_message()
        .room_id("r1")
        .feed_id("deploys")
        .message_id("m1")
        .body_map(|b| b.data(message_data(json!({"text": "x"}))))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"data": {"text": "x"}})
    );
}

#[tokio::test]
async fn delete_feed_message_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_feed_message()
        .room_id("r1")
        .feed_id("deploys")
        .message_id("m1")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/rooms/r1/feeds/deploys/messages/m1").await);
    assert_eq!(res.status().as_u16(), 204);
}

// ---------------------------------------------------------------------------------------------
// Streams

const SIX: [&str; 6] = ["i0", "i1", "i2", "i3", "i4", "i5"];

#[tokio::test]
async fn groups_stream_over_pages_with_starting_after() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 3,
        cursor_param: "startingAfter",
        item: |i| group(&format!("i{i}")),
    };
    pager(&server, "/v2/groups", p).await;
    let all = wire_client(&server)
        .get_groups()
        .stream()
        .page_size(2)
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, SIX);
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/groups",
        "startingAfter",
        &[("limit", "2")],
        3,
    );
}

#[tokio::test]
async fn user_groups_stream_over_pages_with_the_maximum_page_size() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 2,
        cursor_param: "startingAfter",
        item: |i| group(&format!("i{i}")),
    };
    pager(&server, "/v2/users/alice/groups", p).await;
    let all = wire_client(&server)
        .get_user_groups()
        .user_id("alice")
        .limit(7u32)
        .stream()
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, SIX[..4]);
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/users/alice/groups",
        "startingAfter",
        &[("limit", "100")],
        2,
    );
}

#[tokio::test]
async fn feeds_stream_over_pages_with_cursor_and_keep_since() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 3,
        cursor_param: "cursor",
        item: |i| feed(&format!("i{i}")),
    };
    pager(&server, "/v2/rooms/r%201/feeds", p).await;
    let all = wire_client(&server)
        .get_feeds()
        .room_id("r 1")
        .since(1_730_000_000_000_i64)
        .stream()
        .page_size(2)
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|f| f.feed_id.as_str()).collect();
    assert_eq!(ids, SIX);
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/rooms/r%201/feeds",
        "cursor",
        &[("limit", "2"), ("since", "1730000000000")],
        3,
    );
    for request in &requests {
        assert!(
            !request.url.query().unwrap().contains("startingAfter"),
            "feeds page with `cursor`, never `startingAfter`"
        );
    }
}

#[tokio::test]
async fn feed_messages_stream_over_pages_with_cursor_and_keep_since() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 2,
        cursor_param: "cursor",
        item: |i| message(&format!("i{i}")),
    };
    pager(&server, "/v2/rooms/r1/feeds/deploys/messages", p).await;
    let all = wire_client(&server)
        .get_feed_messages()
        .room_id("r1")
        .feed_id("deploys")
        .since(42_i64)
        .stream()
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, SIX[..4]);
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/rooms/r1/feeds/deploys/messages",
        "cursor",
        &[("limit", "100"), ("since", "42")],
        2,
    );
}

// ---------------------------------------------------------------------------------------------
// Retries follow the spec's idempotency marks

#[tokio::test]
async fn member_changes_and_feed_patches_are_retried_after_a_503_and_creates_are_not() {
    let (server, c) = flaky(json(200, group("ops"))).await;
    c.add_group_members()
        .group_id("ops")
        .body(types::AddGroupMembersRequestBody {
            member_ids: strings(&["jonas"]),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let (server, c) = flaky(json(200, feed("deploys"))).await;
    c.update_feed()
        .room_id("r1")
        .feed_id("deploys")
        .body(types::UpdateFeedRequestBody {
            metadata: types::FeedMetadataPatch(BTreeMap::new()),
        })
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method.as_str() == "PATCH"));

    let (server, c) = flaky(json(200, message("m1"))).await;
    let err = c
        .create_feed_message()
        .room_id("r1")
        .feed_id("deploys")
        .body_map(|b| b.data(message_data(json!({"text": "x"}))))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let (server, c) = flaky(json(200, group("g"))).await;
    let err = c
        .create_group()
        .body_map(|b| b.id("g"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
