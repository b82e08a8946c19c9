//! JSON Schemas of the webhook payloads (cargo feature `schemars`).
//!
//! [`WebhookEvent`], [`NotificationEvent`] and [`NotificationChannel`] decode by hand (by
//! `type`, by `kind`, with catch-alls), so their `schemars::JsonSchema` impls are written here to
//! say what those decoders accept; the event data structs derive theirs.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use crate::webhooks::{
    CustomNotificationData, NotificationChannel, NotificationEvent, TextMentionNotificationData,
    ThreadNotificationData, WebhookEvent,
};

/// The channels [`NotificationChannel`] names.
const CHANNELS: [&str; 4] = ["email", "slack", "teams", "webPush"];

/// The notification kinds [`NotificationEvent`] names (custom kinds start with `$`).
const KINDS: [&str; 2] = ["thread", "textMention"];

/// The pattern of a custom notification kind.
const CUSTOM_KIND: &str = "^\\$";

impl JsonSchema for WebhookEvent {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("WebhookEvent")
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("liveblocks::webhooks::WebhookEvent")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut known = Vec::new();
        let mut any_of: Vec<Value> = Vec::new();
        let notification = generator.subschema_for::<NotificationEvent>();
        for (name, data) in WebhookEvent::data_schemas(generator)
            .into_iter()
            .chain([("notification", notification)])
        {
            any_of.push(json!({
                "type": "object",
                "required": ["type", "data"],
                "properties": { "type": { "const": name }, "data": data },
            }));
            known.push(name);
        }
        any_of.push(json!({
            "description": "An event type this version of the crate does not know.",
            "type": "object",
            "required": ["type"],
            "properties": { "type": { "type": "string", "not": { "enum": known } } },
        }));
        json_schema!({
            "description": "A webhook delivery's body: `type` names the event, `data` holds it. \
                One of the known event types, or an event type Liveblocks adds later.",
            "anyOf": any_of,
        })
    }
}

impl JsonSchema for NotificationEvent {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("NotificationEvent")
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("liveblocks::webhooks::NotificationEvent")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let kind = |kind: Value| json!({ "type": "object", "required": ["kind"], "properties": { "kind": kind } });
        json_schema!({
            "description": "The `data` of a `notification` event, by its `kind`: `thread`, \
                `textMention`, a custom kind (starting with `$`), or a kind Liveblocks adds later.",
            "anyOf": [
                { "allOf": [
                    generator.subschema_for::<ThreadNotificationData>(),
                    kind(json!({ "const": KINDS[0] })),
                ] },
                { "allOf": [
                    generator.subschema_for::<TextMentionNotificationData>(),
                    kind(json!({ "const": KINDS[1] })),
                ] },
                { "allOf": [
                    generator.subschema_for::<CustomNotificationData>(),
                    kind(json!({ "type": "string", "pattern": CUSTOM_KIND })),
                ] },
                {
                    "description": "A kind this version of the crate does not know.",
                    "allOf": [kind(json!({
                        "type": "string",
                        "not": { "anyOf": [{ "enum": KINDS }, { "pattern": CUSTOM_KIND }] },
                    }))],
                },
            ],
        })
    }
}

impl JsonSchema for NotificationChannel {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("NotificationChannel")
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("liveblocks::webhooks::NotificationChannel")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The channel a notification event is for. One of the known values, \
                or any other string (a channel Liveblocks adds later).",
            "type": "string",
            "anyOf": [
                { "enum": CHANNELS },
                { "description": "A channel this version of the crate does not know." },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The constants here name exactly what the hand-written decoders and `as_str` use.
    #[test]
    fn known_names_match_the_decoders() {
        for name in CHANNELS {
            let channel = NotificationChannel::from(name.to_string());
            assert!(!matches!(channel, NotificationChannel::Other(_)), "{name}");
            assert_eq!(channel.as_str(), name);
        }
        for kind in KINDS {
            let body = json!({ "type": "notification", "data": { "kind": kind } }).to_string();
            // Missing fields: a known kind is decoded as its variant and fails, an unknown kind
            // would be `Other`.
            assert!(WebhookEvent::decode(body.as_bytes()).is_err(), "{kind}");
        }
    }
}
