//! Table of webhook deliveries signed outside this crate (Python's standard-library HMAC, see
//! tests/fixtures/webhooks/generate.py), run through `WebhookHandler::verify_at` with the
//! headers given both as string pairs and as an `http::HeaderMap`.

use http::{HeaderMap, HeaderName, HeaderValue};
use liveblocks::webhooks::{NotificationEvent, WebhookError, WebhookEvent, WebhookHandler};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

const VECTORS: &str = include_str!("fixtures/webhooks/vectors.json");

fn cases() -> Vec<Value> {
    let file: Value = serde_json::from_str(VECTORS).unwrap();
    file["cases"].as_array().unwrap().clone()
}

fn variant(error: &WebhookError) -> &'static str {
    match error {
        WebhookError::InvalidSecret { .. } => "InvalidSecret",
        WebhookError::MissingHeader { .. } => "MissingHeader",
        WebhookError::InvalidHeader { .. } => "InvalidHeader",
        WebhookError::InvalidTimestamp => "InvalidTimestamp",
        WebhookError::TimestampTooOld { .. } => "TimestampTooOld",
        WebhookError::TimestampInFuture { .. } => "TimestampInFuture",
        WebhookError::NoMatchingSignature => "NoMatchingSignature",
        WebhookError::InvalidJson { .. } => "InvalidJson",
        other => panic!("unexpected variant {other:?}"),
    }
}

/// The decoded data, serialized back, and the notification kind if any.
fn decoded(event: &WebhookEvent) -> (Value, Option<String>) {
    use serde_json::to_value as v;
    let data = match event {
        WebhookEvent::StorageUpdated(d) => v(d),
        WebhookEvent::UserEntered(d) => v(d),
        WebhookEvent::UserLeft(d) => v(d),
        WebhookEvent::RoomCreated(d) => v(d),
        WebhookEvent::RoomDeleted(d) => v(d),
        WebhookEvent::CommentCreated(d) => v(d),
        WebhookEvent::CommentEdited(d) => v(d),
        WebhookEvent::CommentDeleted(d) => v(d),
        WebhookEvent::CommentReactionAdded(d) => v(d),
        WebhookEvent::CommentReactionRemoved(d) => v(d),
        WebhookEvent::CommentMetadataUpdated(d) => v(d),
        WebhookEvent::ThreadMetadataUpdated(d) => v(d),
        WebhookEvent::ThreadCreated(d) => v(d),
        WebhookEvent::ThreadDeleted(d) => v(d),
        WebhookEvent::ThreadMarkedAsResolved(d) => v(d),
        WebhookEvent::ThreadMarkedAsUnresolved(d) => v(d),
        WebhookEvent::YDocUpdated(d) => v(d),
        WebhookEvent::Notification(n) => {
            let data = match n {
                NotificationEvent::Thread(d) => {
                    let mut value = v(d).unwrap();
                    value["kind"] = "thread".into();
                    Ok(value)
                }
                NotificationEvent::TextMention(d) => {
                    let mut value = v(d).unwrap();
                    value["kind"] = "textMention".into();
                    Ok(value)
                }
                NotificationEvent::Custom(d) => v(d),
                NotificationEvent::Other { data, .. } => Ok(data.clone()),
                other => panic!("unexpected notification {other:?}"),
            };
            return (data.unwrap(), Some(n.kind().to_owned()));
        }
        WebhookEvent::Unknown { data, .. } => Ok(data.clone()),
        other => panic!("unexpected event {other:?}"),
    };
    (data.unwrap(), None)
}

fn body_of(case: &Value) -> Vec<u8> {
    if let Some(text) = case["body"].as_str() {
        return text.as_bytes().to_vec();
    }
    let hex = case["body_hex"].as_str().unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn handler_of(case: &Value) -> Result<WebhookHandler, WebhookError> {
    let secrets: Vec<&str> = case["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let handler = WebhookHandler::with_secrets(&secrets)?;
    Ok(match case["tolerance"].as_u64() {
        Some(seconds) => handler.tolerance(Duration::from_secs(seconds)),
        None => handler,
    })
}

/// No base64-looking run long enough to be a signature or a secret.
fn assert_no_secret_material(message: &str, case: &str) {
    let mut run = 0;
    for c in message.chars() {
        if c.is_ascii_alphanumeric() || "+/=_-".contains(c) {
            run += 1;
            assert!(
                run < 24,
                "{case}: error message looks like it holds key material: {message}"
            );
        } else {
            run = 0;
        }
    }
}

fn check(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let expect = &case["expect"];
    let body = body_of(case);
    let now = case["now"].as_i64().unwrap();
    let pairs: Vec<(String, String)> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_owned(),
                pair[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();

    let handler = match handler_of(case) {
        Ok(handler) => handler,
        Err(error) => {
            assert_eq!(expect["error"], "InvalidSecret", "{name}: {error}");
            assert_eq!(variant(&error), "InvalidSecret", "{name}");
            let (message, debug) = (error.to_string(), format!("{error:?}"));
            for secret in case["secrets"].as_array().unwrap() {
                let secret = secret.as_str().unwrap();
                let tail = secret.strip_prefix("whsec_").unwrap_or(secret);
                if tail.len() >= 4 {
                    assert!(!message.contains(tail), "{name}: {message}");
                    assert!(!debug.contains(tail), "{name}: {debug}");
                }
            }
            return;
        }
    };
    assert!(
        expect["error"] != "InvalidSecret",
        "{name}: the secret should have been refused"
    );

    let mut map = HeaderMap::new();
    for (key, value) in &pairs {
        map.append(
            HeaderName::from_bytes(key.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    let hash: HashMap<String, String> = pairs.iter().cloned().collect();
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    let from_pairs = handler.verify_at(&pairs, &body, now);
    let outcomes = [
        handler.verify_at(&map, &body, now),
        handler.verify_at(&hash, &body, now),
        handler.verify_at(borrowed.as_slice(), &body, now),
        handler.verify_at(pairs.clone(), &body, now),
    ];
    for other in &outcomes {
        match (&from_pairs, other) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}: header sources disagree"),
            (Err(a), Err(b)) => assert_eq!(variant(a), variant(b), "{name}: {a} vs {b}"),
            (a, b) => panic!("{name}: header sources disagree: {a:?} vs {b:?}"),
        }
    }

    match from_pairs {
        Ok(event) => {
            let want = expect["ok"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: expected {expect}, got {event:?}"));
            assert_eq!(event.event_type(), want, "{name}");
            let (data, kind) = decoded(&event);
            assert_eq!(data, expect["data"], "{name}: decoded data");
            assert_eq!(kind.as_deref(), expect["kind"].as_str(), "{name}: kind");
            // Timestamps decode to real instants, not just strings that round-trip.
            if let WebhookEvent::StorageUpdated(d) = &event {
                assert_eq!(d.updated_at.timestamp_millis(), 1_735_689_598_123, "{name}");
            }
        }
        Err(error) => {
            let want = expect["error"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: expected {expect}, got {error}"));
            assert_eq!(variant(&error), want, "{name}: {error}");
            if let Some(header) = expect["header"].as_str() {
                match &error {
                    WebhookError::MissingHeader { name: h }
                    | WebhookError::InvalidHeader { name: h } => {
                        assert_eq!(*h, header, "{name}")
                    }
                    other => panic!("{name}: {other:?}"),
                }
            }
            assert_no_secret_material(&error.to_string(), name);
            assert_no_secret_material(&format!("{error:?}"), name);
        }
    }
}

#[test]
fn every_vector_gives_the_expected_outcome() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    for case in &cases {
        check(case);
    }
}

#[test]
fn the_table_covers_every_event_type_and_notification_kind() {
    let cases = cases();
    let ok: Vec<(String, Option<String>)> = cases
        .iter()
        .filter_map(|c| {
            Some((
                c["expect"]["ok"].as_str()?.to_owned(),
                c["expect"]["kind"].as_str().map(str::to_owned),
            ))
        })
        .collect();
    for event_type in [
        "storageUpdated",
        "userEntered",
        "userLeft",
        "roomCreated",
        "roomDeleted",
        "commentCreated",
        "commentEdited",
        "commentDeleted",
        "commentReactionAdded",
        "commentReactionRemoved",
        "commentMetadataUpdated",
        "threadMetadataUpdated",
        "threadCreated",
        "threadDeleted",
        "threadMarkedAsResolved",
        "threadMarkedAsUnresolved",
        "ydocUpdated",
        "notification",
        "roomArchived",
    ] {
        assert!(ok.iter().any(|(t, _)| t == event_type), "{event_type}");
    }
    for kind in ["thread", "textMention", "$invoicePaid", "reminder"] {
        assert!(ok.iter().any(|(_, k)| k.as_deref() == Some(kind)), "{kind}");
    }
    for variant in [
        "InvalidSecret",
        "MissingHeader",
        "InvalidHeader",
        "InvalidTimestamp",
        "TimestampTooOld",
        "TimestampInFuture",
        "NoMatchingSignature",
        "InvalidJson",
    ] {
        assert!(
            cases.iter().any(|c| c["expect"]["error"] == variant),
            "{variant}"
        );
    }
}

#[test]
fn typed_fields_decode_to_their_rust_types() {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "custom notification without room")
        .unwrap();
    let handler = handler_of(&case).unwrap();
    let headers: Vec<(String, String)> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let event = handler
        .verify_at(&headers, &body_of(&case), case["now"].as_i64().unwrap())
        .unwrap();
    let WebhookEvent::Notification(NotificationEvent::Custom(data)) = event else {
        panic!("{event:?}")
    };
    assert_eq!(data.kind, "$invoicePaid");
    assert_eq!(data.room_id, None);
    assert_eq!(data.subject_id, "inv_9");
    assert_eq!(
        data.channel,
        liveblocks::webhooks::NotificationChannel::Teams
    );
    assert_eq!(
        data.triggered_at.to_rfc3339(),
        "2024-12-31T23:59:59.456+00:00"
    );
}

#[test]
fn the_system_clock_rejects_the_2025_fixtures_as_old() {
    let case = &cases()[0];
    let handler = handler_of(case).unwrap();
    let headers: Vec<(String, String)> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let error = handler.verify(&headers, &body_of(case)).unwrap_err();
    assert!(
        matches!(
            error,
            WebhookError::TimestampTooOld {
                tolerance_seconds: 300,
                ..
            }
        ),
        "{error:?}"
    );
}
