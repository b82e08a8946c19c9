//! Wire tests of the 16 Notifications operations (inbox notifications, notification settings,
//! room subscription settings and the deprecated room notification-settings paths): what each
//! request looks like on the wire (method, raw path, query, headers, JSON body) and how each
//! realistic answer decodes, including the forward-compatible catch-alls and the streams over
//! the two paginated lists.

mod support;

use liveblocks::types::{
    self, InboxNotification, RoomSubscriptionTextMentions, RoomSubscriptionThreads,
};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------------------------
// Realistic answers (shapes from the REST reference and the official SDK models). Timestamps
// carry milliseconds so that they serialize back byte for byte.

fn thread_notification() -> Value {
    json!({
        "kind": "thread",
        "id": "in_thread1",
        "roomId": "design-review",
        "organizationId": "org_acme",
        "threadId": "th_Qm2nB7cT",
        "notifiedAt": "2024-11-05T08:12:40.120Z",
        "readAt": null
    })
}

fn text_mention_notification() -> Value {
    json!({
        "kind": "textMention",
        "id": "in_mention1",
        "roomId": "design-review",
        "mentionId": "mn_51aZkP",
        "createdBy": "marie",
        "mention": {"kind": "group", "id": "design-team", "userIds": ["alice", "jonas"]},
        "notifiedAt": "2024-11-05T09:01:00.250Z",
        "readAt": "2024-11-05T10:30:00.500Z"
    })
}

fn custom_notification() -> Value {
    json!({
        "kind": "$fileUploaded",
        "id": "in_custom1",
        "subjectId": "file-2024-q3",
        "roomId": "design-review",
        "notifiedAt": "2024-11-05T08:12:40.300Z",
        "readAt": null,
        "activities": [
            {
                "id": "act_1",
                "createdAt": "2024-11-05T08:10:00.700Z",
                "data": {"url": "https://example.com/files/report.pdf", "size": 52.5, "shared": true}
            },
            {
                "id": "act_2",
                "createdAt": "2024-11-05T08:12:40.300Z",
                "data": {"url": "https://example.com/files/report-v2.pdf"}
            }
        ]
    })
}

/// A kind Liveblocks may add later: not `thread`, not `textMention`, no `$`.
fn future_notification() -> Value {
    json!({
        "kind": "futureKind",
        "id": "in_future1",
        "subjectId": "something",
        "notifiedAt": "2024-11-05T08:12:40.000Z",
        "readAt": null,
        "activities": [],
        "hologram": {"level": 3}
    })
}

fn settings() -> Value {
    json!({
        "email": {"thread": true, "textMention": false, "$fileUploaded": true},
        "slack": {"thread": true, "textMention": true, "$fileUploaded": false},
        "teams": {"thread": false, "textMention": true, "$fileUploaded": true},
        "webPush": {"thread": true, "textMention": true, "$fileUploaded": false}
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn variant(n: &InboxNotification) -> &'static str {
    match n {
        InboxNotification::Thread(_) => "thread",
        InboxNotification::TextMention(_) => "textMention",
        InboxNotification::Custom(_) => "custom",
        InboxNotification::Unknown(_) => "unknown",
    }
}

// ---------------------------------------------------------------------------------------------
// Inbox notifications

#[tokio::test]
async fn get_inbox_notifications_sends_every_filter_and_decodes_each_kind() {
    let page = json!({
        "data": [
            thread_notification(),
            text_mention_notification(),
            custom_notification(),
            future_notification()
        ],
        "nextCursor": "in_next"
    });
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_inbox_notifications()
        .user_id("alice@example.com")
        .organization_id("org_acme")
        .query("unread:true")
        .limit(25u32)
        .starting_after("in_prev")
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        "/v2/users/alice@example.com/inbox-notifications",
    )
    .await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("limit", "25"),
            ("organizationId", "org_acme"),
            ("query", "unread:true"),
            ("startingAfter", "in_prev")
        ])
    );
    assert!(request.body.is_empty());
    assert_eq!(accept(&request), Some("application/json"));

    assert_eq!(res.next_cursor.as_deref(), Some("in_next"));
    let kinds: Vec<&str> = res.data.iter().map(variant).collect();
    assert_eq!(kinds, ["thread", "textMention", "custom", "unknown"]);
    match &res.data[1] {
        InboxNotification::TextMention(n) => {
            assert_eq!(n.created_by, "marie");
            assert_eq!(n.mention_id, "mn_51aZkP");
            let mention = n.mention.as_ref().unwrap();
            assert_eq!(mention.kind, types::InboxNotificationMentionKind::Group);
            assert_eq!(mention.user_ids, ["alice", "jonas"]);
            assert_eq!(n.read_at, Some(t("2024-11-05T10:30:00.500Z")));
        }
        other => panic!("expected a text mention, got {other:?}"),
    }
    match &res.data[3] {
        InboxNotification::Unknown(raw) => assert_eq!(raw, &future_notification()),
        other => panic!("expected the catch-all, got {other:?}"),
    }
    // The whole page serializes back unchanged, the unknown kind included.
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn each_inbox_notification_kind_decodes_to_its_variant_and_round_trips() {
    let InboxNotification::Thread(n) = round_trip::<InboxNotification>(&thread_notification())
    else {
        panic!("expected a thread notification")
    };
    assert_eq!(n.thread_id, "th_Qm2nB7cT");
    assert_eq!(n.room_id, "design-review");
    assert_eq!(n.organization_id.as_deref(), Some("org_acme"));
    assert_eq!(n.notified_at, t("2024-11-05T08:12:40.120Z"));
    assert_eq!(n.read_at, None);

    let InboxNotification::Custom(n) = round_trip::<InboxNotification>(&custom_notification())
    else {
        panic!("expected a custom notification")
    };
    assert_eq!(n.kind.as_str(), "$fileUploaded");
    assert_eq!(n.subject_id, "file-2024-q3");
    assert_eq!(n.room_id.as_deref(), Some("design-review"));
    assert_eq!(n.activities.len(), 2);
    let data = &n.activities[0].data;
    assert_eq!(
        data.get("url"),
        Some(&types::InboxNotificationActivityDataValue::String(
            "https://example.com/files/report.pdf".into()
        ))
    );
    assert_eq!(
        data.get("size"),
        Some(&types::InboxNotificationActivityDataValue::Number(52.5))
    );
    assert_eq!(
        data.get("shared"),
        Some(&types::InboxNotificationActivityDataValue::Boolean(true))
    );
    assert_eq!(n.activities[1].created_at, t("2024-11-05T08:12:40.300Z"));

    // A custom notification outside any room has `roomId: null`.
    let mut roomless = custom_notification();
    roomless["roomId"] = Value::Null;
    match serde_json::from_value::<InboxNotification>(roomless).unwrap() {
        InboxNotification::Custom(n) => assert_eq!(n.room_id, None),
        other => panic!("expected a custom notification, got {other:?}"),
    }

    // Another custom kind is still custom; a kind without `$` is not.
    let mut other = custom_notification();
    other["kind"] = json!("$invoicePaid");
    assert_eq!(variant(&round_trip(&other)), "custom");
    let mut not_custom = custom_notification();
    not_custom["kind"] = json!("fileUploaded");
    assert_eq!(variant(&round_trip(&not_custom)), "unknown");
    // A known kind with missing fields is an error, not a silent catch-all.
    let broken = json!({"kind": "thread", "id": "in_x"});
    let err = serde_json::from_value::<InboxNotification>(broken).unwrap_err();
    assert!(err.to_string().contains("missing field"), "{err}");
}

#[tokio::test]
async fn get_inbox_notifications_without_parameters_sends_no_query() {
    let (server, c) = serve(json(200, json!({"data": [], "nextCursor": null}))).await;
    let res = c
        .get_inbox_notifications()
        .user_id("alice")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/users/alice/inbox-notifications").await);
    assert!(res.data.is_empty());
    assert_eq!(res.next_cursor, None);
}

#[tokio::test]
async fn get_inbox_notification_percent_encodes_both_ids() {
    let (server, c) = serve(json(200, text_mention_notification())).await;
    let res = c
        .get_inbox_notification()
        .user_id("user/1 é")
        .inbox_notification_id("in?1#x")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/users/user%2F1%20%C3%A9/inbox-notifications/in%3F1%23x",
        )
        .await,
    );
    assert_eq!(variant(&res), "textMention");
    assert_eq!(
        serde_json::to_value(&*res).unwrap(),
        text_mention_notification()
    );
}

#[tokio::test]
async fn get_inbox_notification_of_an_unknown_kind_does_not_fail() {
    let (server, c) = serve(json(200, future_notification())).await;
    let res = c
        .get_inbox_notification()
        .user_id("alice")
        .inbox_notification_id("in_future1")
        .send()
        .await
        .unwrap();
    received(
        &server,
        "GET",
        "/v2/users/alice/inbox-notifications/in_future1",
    )
    .await;
    assert_eq!(&*res, &InboxNotification::Unknown(future_notification()));
}

#[tokio::test]
async fn delete_inbox_notification_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_inbox_notification()
        .user_id("alice")
        .inbox_notification_id("in_1")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/users/alice/inbox-notifications/in_1",
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn delete_all_inbox_notifications_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_all_inbox_notifications()
        .user_id("al ice")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/users/al%20ice/inbox-notifications").await);
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn mark_inbox_notification_as_read_posts_without_a_body() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    let res = c
        .mark_inbox_notification_as_read()
        .inbox_notification_id("in/1")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "POST", "/v2/inbox-notifications/in%2F1/read").await);
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn trigger_inbox_notification_sends_the_custom_kind_and_activity_data() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    let mut data = std::collections::BTreeMap::new();
    data.insert(
        "url".to_string(),
        types::InboxNotificationActivityDataValue::String("https://example.com/f.pdf".into()),
    );
    data.insert(
        "pages".to_string(),
        types::InboxNotificationActivityDataValue::Number(12.5),
    );
    data.insert(
        "urgent".to_string(),
        types::InboxNotificationActivityDataValue::Boolean(false),
    );
    c.trigger_inbox_notification()
        .body(types::TriggerInboxNotificationRequestBody {
            user_id: "alice".into(),
            kind: "$fileUploaded".parse().unwrap(),
            subject_id: "file-2024-q3".into(),
            activity_data: types::InboxNotificationActivityData(data),
            room_id: Some("design-review".into()),
            organization_id: Some("org_acme".into()),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/inbox-notifications/trigger").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({
            "userId": "alice",
            "kind": "$fileUploaded",
            "subjectId": "file-2024-q3",
            "activityData": {"url": "https://example.com/f.pdf", "pages": 12.5, "urgent": false},
            "roomId": "design-review",
            "organizationId": "org_acme"
        })
    );
}

#[tokio::test]
async fn trigger_inbox_notification_leaves_out_unset_fields_and_refuses_a_kind_without_dollar() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.trigger_inbox_notification()
        .body_map(|b| {
            b.user_id("bob")
                .kind("$invoicePaid")
                .subject_id("inv_1")
                .activity_data(types::InboxNotificationActivityData(Default::default()))
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/inbox-notifications/trigger").await;
    assert_eq!(
        json_body(&request),
        json!({"userId": "bob", "kind": "$invoicePaid", "subjectId": "inv_1", "activityData": {}})
    );

    // A kind that is not custom is refused before anything is sent.
    let err = "fileUploaded"
        .parse::<types::TriggerInboxNotificationRequestBodyKind>()
        .unwrap_err();
    assert!(err.to_string().contains("pattern"), "{err}");
    let err = c
        .trigger_inbox_notification()
        .body_map(|b| {
            b.user_id("bob")
                .kind("fileUploaded")
                .subject_id("inv_1")
                .activity_data(types::InboxNotificationActivityData(Default::default()))
        })
        .send()
        .await
        .unwrap_err();
    assert!(err.status().is_none(), "not an API error: {err}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "the invalid request was not sent"
    );
}

// ---------------------------------------------------------------------------------------------
// Notification settings

#[tokio::test]
async fn get_notification_settings_decodes_every_channel_and_custom_kinds() {
    let (server, c) = serve(json(200, settings())).await;
    let res = c
        .get_notification_settings()
        .user_id("alice")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", "/v2/users/alice/notification-settings").await);
    let email = res.email.as_ref().unwrap();
    assert_eq!(email.get("thread"), Some(&true));
    assert_eq!(email.get("textMention"), Some(&false));
    assert_eq!(email.get("$fileUploaded"), Some(&true));
    assert_eq!(
        res.web_push.as_ref().unwrap().get("$fileUploaded"),
        Some(&false)
    );
    assert_eq!(res.teams.as_ref().unwrap().get("thread"), Some(&false));
    assert_eq!(serde_json::to_value(&*res).unwrap(), settings());

    // A channel that is not enabled is simply absent.
    let partial = json!({"email": {"thread": true}});
    let decoded: types::NotificationSettings = round_trip(&partial);
    assert!(decoded.slack.is_none() && decoded.web_push.is_none());
}

#[tokio::test]
async fn update_notification_settings_sends_only_the_changed_channels() {
    let (server, c) = serve(json(200, settings())).await;
    let email: types::NotificationChannelSettings =
        serde_json::from_value(json!({"thread": false, "$fileUploaded": true})).unwrap();
    let web_push: types::NotificationChannelSettings =
        serde_json::from_value(json!({"textMention": true})).unwrap();
    let res = c
        .update_notification_settings()
        .user_id("alice")
        .body(types::UpdateNotificationSettingsRequestBody {
            email: Some(email),
            web_push: Some(web_push),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/users/alice/notification-settings").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"email": {"$fileUploaded": true, "thread": false}, "webPush": {"textMention": true}})
    );
    assert_eq!(res.slack.as_ref().unwrap().get("textMention"), Some(&true));
}

#[tokio::test]
async fn delete_notification_settings_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_notification_settings()
        .user_id("alice")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/users/alice/notification-settings").await);
    assert_eq!(res.status().as_u16(), 204);
}

// ---------------------------------------------------------------------------------------------
// Room subscription settings

#[tokio::test]
async fn get_room_subscription_settings_decodes_known_and_unknown_values() {
    let (server, c) = serve(json(
        200,
        json!({"threads": "replies_and_mentions", "textMentions": "mine"}),
    ))
    .await;
    let res = c
        .get_room_subscription_settings()
        .room_id("room 1")
        .user_id("alice")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/rooms/room%201/users/alice/subscription-settings",
        )
        .await,
    );
    assert_eq!(res.threads, RoomSubscriptionThreads::RepliesAndMentions);
    assert_eq!(res.text_mentions, RoomSubscriptionTextMentions::Mine);

    // Values Liveblocks may add later decode into the catch-alls and serialize back unchanged.
    let future = json!({"threads": "participating_only", "textMentions": "team"});
    let decoded: types::RoomSubscriptionSettings = round_trip(&future);
    assert_eq!(
        decoded.threads,
        RoomSubscriptionThreads::Unknown("participating_only".into())
    );
    assert!(decoded.text_mentions.is_unknown());
    assert_eq!(decoded.text_mentions.as_str(), "team");
}

#[tokio::test]
async fn update_room_subscription_settings_sends_only_the_set_fields() {
    let (server, c) = serve(json(
        200,
        json!({"threads": "none", "textMentions": "mine"}),
    ))
    .await;
    let res = c
        .update_room_subscription_settings()
        .room_id("r1")
        .user_id("alice")
        .body(types::UpdateRoomSubscriptionSettingsRequestBody {
            threads: Some(RoomSubscriptionThreads::None),
            text_mentions: None,
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/users/alice/subscription-settings",
    )
    .await;
    assert_eq!(json_body(&request), json!({"threads": "none"}));
    assert_eq!(res.threads, RoomSubscriptionThreads::None);

    let (server, c) = serve(json(200, json!({"threads": "all", "textMentions": "none"}))).await;
    c.update_room_subscription_settings()
        .room_id("r1")
        .user_id("alice")
        .body(types::UpdateRoomSubscriptionSettingsRequestBody {
            threads: Some(RoomSubscriptionThreads::All),
            text_mentions: Some(RoomSubscriptionTextMentions::None),
        })
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        json!({"threads": "all", "textMentions": "none"})
    );
}

#[tokio::test]
async fn delete_room_subscription_settings_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_room_subscription_settings()
        .room_id("r1")
        .user_id("a/b")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/rooms/r1/users/a%2Fb/subscription-settings",
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn get_user_room_subscription_settings_sends_the_page_query() {
    let page = json!({
        "data": [
            {"roomId": "design-review", "threads": "all", "textMentions": "mine"},
            {"roomId": "weekly-sync", "threads": "none", "textMentions": "none"}
        ],
        "nextCursor": "rs_next"
    });
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_user_room_subscription_settings()
        .user_id("alice")
        .limit(50u32)
        .starting_after("rs_prev")
        .organization_id("org_acme")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/users/alice/room-subscription-settings").await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("limit", "50"),
            ("organizationId", "org_acme"),
            ("startingAfter", "rs_prev")
        ])
    );
    assert!(request.body.is_empty());
    assert_eq!(res.next_cursor.as_deref(), Some("rs_next"));
    assert_eq!(res.data[1].room_id, "weekly-sync");
    assert_eq!(res.data[1].threads, RoomSubscriptionThreads::None);
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

// ---------------------------------------------------------------------------------------------
// The deprecated room notification-settings paths

#[tokio::test]
#[allow(deprecated)]
async fn deprecated_room_notification_settings_use_the_old_path() {
    let (server, c) = serve(json(200, json!({"threads": "all", "textMentions": "mine"}))).await;
    let res = c
        .get_room_notification_settings()
        .room_id("r1")
        .user_id("alice")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/rooms/r1/users/alice/notification-settings",
        )
        .await,
    );
    assert_eq!(res.threads, RoomSubscriptionThreads::All);

    let (server, c) = serve(json(
        200,
        json!({"threads": "replies_and_mentions", "textMentions": "none"}),
    ))
    .await;
    let res = c
        .update_room_notification_settings()
        .room_id("r1")
        .user_id("alice")
        .body(types::UpdateRoomSubscriptionSettingsRequestBody {
            threads: Some(RoomSubscriptionThreads::RepliesAndMentions),
            text_mentions: Some(RoomSubscriptionTextMentions::None),
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        "/v2/rooms/r1/users/alice/notification-settings",
    )
    .await;
    assert_eq!(
        json_body(&request),
        json!({"threads": "replies_and_mentions", "textMentions": "none"})
    );
    assert_eq!(res.text_mentions, RoomSubscriptionTextMentions::None);

    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_room_notification_settings()
        .room_id("r1")
        .user_id("alice")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/rooms/r1/users/alice/notification-settings",
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn an_api_error_on_a_notification_operation_is_typed() {
    let (_server, c) = serve(json(
        404,
        json!({"error": "INBOX_NOTIFICATION_NOT_FOUND", "message": "Inbox notification not found"}),
    ))
    .await;
    let err = c
        .get_inbox_notification()
        .user_id("alice")
        .inbox_notification_id("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Streams

fn numbered_notification(i: usize) -> Value {
    let mut n = if i % 3 == 2 {
        custom_notification()
    } else {
        thread_notification()
    };
    n["id"] = json!(format!("in_{i}"));
    n
}

#[tokio::test]
async fn inbox_notifications_stream_over_pages_with_starting_after_and_filters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/users/alice/inbox-notifications"))
        .respond_with(Pager {
            pages: 3,
            cursor_param: "startingAfter",
            item: numbered_notification,
        })
        .mount(&server)
        .await;
    let client = wire_client(&server);
    let all = client
        .get_inbox_notifications()
        .user_id("alice")
        .query("unread:true")
        .organization_id("org_acme")
        .stream()
        .page_size(2)
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = all
        .iter()
        .map(|n| match n {
            InboxNotification::Thread(n) => n.id.clone(),
            InboxNotification::Custom(n) => n.id.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(ids, ["in_0", "in_1", "in_2", "in_3", "in_4", "in_5"]);
    assert_eq!(variant(&all[2]), "custom");
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/users/alice/inbox-notifications",
        "startingAfter",
        &[
            ("limit", "2"),
            ("query", "unread:true"),
            ("organizationId", "org_acme"),
        ],
        3,
    );
}

#[tokio::test]
async fn inbox_notifications_stream_asks_for_the_maximum_page_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/users/alice/inbox-notifications"))
        .respond_with(Pager {
            pages: 2,
            cursor_param: "startingAfter",
            item: numbered_notification,
        })
        .mount(&server)
        .await;
    let all = wire_client(&server)
        .get_inbox_notifications()
        .user_id("alice")
        .limit(3u32)
        .stream()
        .try_collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/users/alice/inbox-notifications",
        "startingAfter",
        &[("limit", "50")],
        2,
    );
}

#[tokio::test]
async fn user_room_subscription_settings_stream_over_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/users/alice/room-subscription-settings"))
        .respond_with(Pager {
            pages: 3,
            cursor_param: "startingAfter",
            item: |i| json!({"roomId": format!("room-{i}"), "threads": "all", "textMentions": "mine"}),
        })
        .mount(&server)
        .await;
    let all = wire_client(&server)
        .get_user_room_subscription_settings()
        .user_id("alice")
        .organization_id("org_acme")
        .stream()
        .page_size(2)
        .try_collect_all()
        .await
        .unwrap();
    let rooms: Vec<&str> = all.iter().map(|s| s.room_id.as_str()).collect();
    assert_eq!(
        rooms,
        ["room-0", "room-1", "room-2", "room-3", "room-4", "room-5"]
    );
    let requests = server.received_requests().await.unwrap();
    assert_pages(
        &requests,
        "/v2/users/alice/room-subscription-settings",
        "startingAfter",
        &[("limit", "2"), ("organizationId", "org_acme")],
        3,
    );
}

// ---------------------------------------------------------------------------------------------
// Retries follow the spec's idempotency marks

#[tokio::test]
async fn safe_notification_posts_are_retried_after_a_503_and_trigger_is_not() {
    let (server, c) = flaky(ResponseTemplate::new(200)).await;
    c.mark_inbox_notification_as_read()
        .inbox_notification_id("in_1")
        .send()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let (server, c) = flaky(json(200, settings())).await;
    c.update_notification_settings()
        .user_id("alice")
        .body(types::UpdateNotificationSettingsRequestBody::default())
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the same body again");

    let (server, c) = flaky(json(200, json!({"threads": "all", "textMentions": "mine"}))).await;
    c.update_room_subscription_settings()
        .room_id("r1")
        .user_id("alice")
        .body(types::UpdateRoomSubscriptionSettingsRequestBody::default())
        .send()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // Triggering twice could add a second activity: a 503 is returned, not retried.
    let (server, c) = flaky(ResponseTemplate::new(200)).await;
    let err = c
        .trigger_inbox_notification()
        .body_map(|b| {
            b.user_id("bob")
                .kind("$invoicePaid")
                .subject_id("inv_1")
                .activity_data(types::InboxNotificationActivityData(Default::default()))
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
