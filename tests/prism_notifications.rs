//! The spec's request schemas checked against real requests: every Notifications, Groups and
//! Feeds operation (32) is sent through the client to Prism, which validates it against
//! openapi/liveblocks.yaml. A request Prism rejects is a spec or client bug. Requests that break
//! the spec (values the Rust types allow but the spec forbids) show that the check bites.

mod support;

use std::collections::BTreeMap;

use liveblocks::Change;
use liveblocks::types::{
    self, FeedMetadataValue, InboxNotificationActivityDataValue, RoomSubscriptionTextMentions,
    RoomSubscriptionThreads,
};
use serde_json::json;
use support::*;

#[tokio::test]
#[allow(deprecated)]
async fn prism_accepts_every_notifications_groups_and_feeds_request() {
    let server = prism();
    let c = prism_client(&server);
    let mut v = Verdicts::strict();
    let user = "alice@example.com";
    let room = "room a/b é";

    // Inbox notifications.
    v.check(
        "get_inbox_notifications",
        c.get_inbox_notifications()
            .user_id(user)
            .organization_id("org_acme")
            .query("unread:true")
            .limit(50u32)
            .starting_after("in_0")
            .send()
            .await,
    );
    v.check(
        "get_inbox_notification",
        c.get_inbox_notification()
            .user_id(user)
            .inbox_notification_id("in 1")
            .send()
            .await,
    );
    v.check(
        "delete_inbox_notification",
        c.delete_inbox_notification()
            .user_id(user)
            .inbox_notification_id("in_1")
            .send()
            .await,
    );
    v.check(
        "delete_all_inbox_notifications",
        c.delete_all_inbox_notifications()
            .user_id(user)
            .send()
            .await,
    );
    v.check(
        "mark_inbox_notification_as_read",
        c.mark_inbox_notification_as_read()
            .inbox_notification_id("in_1")
            .send()
            .await,
    );
    let mut data = BTreeMap::new();
    data.insert(
        "url".to_string(),
        InboxNotificationActivityDataValue::String("https://example.com/f.pdf".into()),
    );
    data.insert(
        "pages".to_string(),
        InboxNotificationActivityDataValue::Number(12.0),
    );
    data.insert(
        "urgent".to_string(),
        InboxNotificationActivityDataValue::Boolean(true),
    );
    v.check(
        "trigger_inbox_notification",
        c.trigger_inbox_notification()
            .body(types::TriggerInboxNotificationRequestBody {
                user_id: "alice".into(),
                kind: "$fileUploaded".parse().unwrap(),
                subject_id: "file-1".into(),
                activity_data: types::InboxNotificationActivityData(data),
                room_id: Some(room.into()),
                organization_id: Some("org_acme".into()),
            })
            .send()
            .await,
    );
    v.check(
        "trigger_inbox_notification",
        c.trigger_inbox_notification()
            .body_map(|b| {
                b.user_id("bob")
                    .kind("$invoice_paid")
                    .subject_id("inv_1")
                    .activity_data(types::InboxNotificationActivityData(BTreeMap::new()))
            })
            .send()
            .await,
    );

    // Notification settings.
    v.check(
        "get_notification_settings",
        c.get_notification_settings().user_id(user).send().await,
    );
    v.check(
        "update_notification_settings",
        c.update_notification_settings()
            .user_id(user)
            .body(typed::<types::UpdateNotificationSettingsRequestBody>(
                json!({
                    "email": {"thread": false, "$fileUploaded": true},
                    "slack": {"textMention": true},
                    "teams": {},
                    "webPush": {"thread": true}
                }),
            ))
            .send()
            .await,
    );
    v.check(
        "delete_notification_settings",
        c.delete_notification_settings().user_id(user).send().await,
    );

    // Room subscription settings, current and deprecated paths.
    v.check(
        "get_room_subscription_settings",
        c.get_room_subscription_settings()
            .room_id(room)
            .user_id(user)
            .send()
            .await,
    );
    v.check(
        "update_room_subscription_settings",
        c.update_room_subscription_settings()
            .room_id(room)
            .user_id(user)
            .body(types::UpdateRoomSubscriptionSettingsRequestBody {
                threads: Some(RoomSubscriptionThreads::RepliesAndMentions),
                text_mentions: Some(RoomSubscriptionTextMentions::Mine),
            })
            .send()
            .await,
    );
    v.check(
        "update_room_subscription_settings",
        c.update_room_subscription_settings()
            .room_id(room)
            .user_id(user)
            .body(types::UpdateRoomSubscriptionSettingsRequestBody::default())
            .send()
            .await,
    );
    v.check(
        "delete_room_subscription_settings",
        c.delete_room_subscription_settings()
            .room_id(room)
            .user_id(user)
            .send()
            .await,
    );
    v.check(
        "get_user_room_subscription_settings",
        c.get_user_room_subscription_settings()
            .user_id(user)
            .starting_after("rs_0")
            .limit(1u32)
            .organization_id("org_acme")
            .send()
            .await,
    );
    v.check(
        "get_room_notification_settings",
        c.get_room_notification_settings()
            .room_id(room)
            .user_id(user)
            .send()
            .await,
    );
    v.check(
        "update_room_notification_settings",
        c.update_room_notification_settings()
            .room_id(room)
            .user_id(user)
            .body(types::UpdateRoomSubscriptionSettingsRequestBody {
                threads: Some(RoomSubscriptionThreads::None),
                text_mentions: Some(RoomSubscriptionTextMentions::None),
            })
            .send()
            .await,
    );
    v.check(
        "delete_room_notification_settings",
        c.delete_room_notification_settings()
            .room_id(room)
            .user_id(user)
            .send()
            .await,
    );

    // Groups.
    v.check(
        "get_groups",
        c.get_groups()
            .limit(100u32)
            .starting_after("g_0")
            .send()
            .await,
    );
    v.check(
        "create_group",
        c.create_group()
            .body(types::CreateGroupRequestBody {
                id: "design-team".into(),
                member_ids: vec!["alice".into(), "marie".into()],
                organization_id: Some("org_acme".into()),
                scopes: Some(types::GroupScopes {
                    mention: Some(true),
                }),
            })
            .send()
            .await,
    );
    v.check(
        "create_group",
        c.create_group().body_map(|b| b.id("bare")).send().await,
    );
    v.check("get_group", c.get_group().group_id("g/1").send().await);
    v.check(
        "delete_group",
        c.delete_group().group_id("g 1").send().await,
    );
    v.check(
        "add_group_members",
        c.add_group_members()
            .group_id("g1")
            .body(types::AddGroupMembersRequestBody {
                member_ids: vec!["jonas".into()],
            })
            .send()
            .await,
    );
    v.check(
        "remove_group_members",
        c.remove_group_members()
            .group_id("g1")
            .body(types::RemoveGroupMembersRequestBody {
                member_ids: vec!["jonas".into(), "li".into()],
            })
            .send()
            .await,
    );
    v.check(
        "get_user_groups",
        c.get_user_groups()
            .user_id(user)
            .limit(1u32)
            .starting_after("g_0")
            .send()
            .await,
    );

    // Feeds.
    v.check(
        "get_feeds",
        c.get_feeds()
            .room_id(room)
            .cursor("f_0")
            .since(1_730_794_360_000_i64)
            .limit(100u32)
            .send()
            .await,
    );
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "channel".to_string(),
        FeedMetadataValue::String("support".into()),
    );
    metadata.insert(
        "tags".to_string(),
        FeedMetadataValue::Array(vec!["a".into(), "b".into()]),
    );
    v.check(
        "create_feed",
        c.create_feed()
            .room_id(room)
            .body(types::CreateFeedRequestBody {
                feed_id: "deploys".into(),
                metadata: Some(types::FeedMetadata(metadata)),
                timestamp: Some(1_730_794_360_000),
            })
            .send()
            .await,
    );
    v.check(
        "create_feed",
        c.create_feed()
            .room_id(room)
            .body_map(|b| b.feed_id("bare"))
            .send()
            .await,
    );
    v.check(
        "get_feed",
        c.get_feed().room_id(room).feed_id("f/1").send().await,
    );
    let mut patch = BTreeMap::new();
    patch.insert(
        "channel".to_string(),
        Change::Set(FeedMetadataValue::String("sales".into())),
    );
    patch.insert("tags".to_string(), Change::Remove);
    v.check(
        "update_feed",
        c.update_feed()
            .room_id(room)
            .feed_id("deploys")
            .body(types::UpdateFeedRequestBody {
                metadata: types::FeedMetadataPatch(patch),
            })
            .send()
            .await,
    );
    v.check(
        "delete_feed",
        c.delete_feed()
            .room_id(room)
            .feed_id("deploys")
            .send()
            .await,
    );
    v.check(
        "get_feed_messages",
        c.get_feed_messages()
            .room_id(room)
            .feed_id("deploys")
            .cursor("m_0")
            .since(0_i64)
            .limit(1u32)
            .send()
            .await,
    );
    v.check(
        "create_feed_message",
        c.create_feed_message()
            .room_id(room)
            .feed_id("deploys")
            .body(types::CreateFeedMessageRequestBody {
                id: Some("m1".into()),
                data: typed(json!({"type": "text", "text": "hello", "meta": {"n": [1, 2]}})),
                timestamp: Some(1_730_794_400_000),
            })
            .send()
            .await,
    );
    v.check(
        "update_feed_message",
        c.update_feed_message()
            .room_id(room)
            .feed_id("deploys")
            .message_id("m 1")
            .body(types::UpdateFeedMessageRequestBody {
                data: typed(json!({"text": "edited"})),
                timestamp: Some(1_730_794_480_000),
            })
            .send()
            .await,
    );
    v.check(
        "delete_feed_message",
        c.delete_feed_message()
            .room_id(room)
            .feed_id("deploys")
            .message_id("m1")
            .send()
            .await,
    );

    v.assert_all_accepted(32);
}

/// The check bites: requests the types allow but the spec forbids are rejected.
#[tokio::test]
#[allow(deprecated)]
async fn prism_rejects_invalid_notifications_groups_and_feeds_requests() {
    let server = prism();
    let c = prism_client(&server);

    assert_rejected(
        "update_room_subscription_settings with a `threads` value the spec does not have",
        422,
        c.update_room_subscription_settings()
            .room_id("r1")
            .user_id("alice")
            .body(types::UpdateRoomSubscriptionSettingsRequestBody {
                threads: Some(RoomSubscriptionThreads::Unknown("sometimes".into())),
                text_mentions: None,
            })
            .send()
            .await,
    );
    assert_rejected(
        "update_room_notification_settings with a `textMentions` value the spec does not have",
        422,
        c.update_room_notification_settings()
            .room_id("r1")
            .user_id("alice")
            .body(types::UpdateRoomSubscriptionSettingsRequestBody {
                threads: None,
                text_mentions: Some(RoomSubscriptionTextMentions::Unknown("everyone".into())),
            })
            .send()
            .await,
    );
    assert_rejected(
        "get_inbox_notifications with a page larger than 50",
        400,
        c.get_inbox_notifications()
            .user_id("alice")
            .limit(51u32)
            .send()
            .await,
    );
    assert_rejected(
        "get_feeds with a page larger than 100",
        400,
        c.get_feeds().room_id("r1").limit(101u32).send().await,
    );
}
