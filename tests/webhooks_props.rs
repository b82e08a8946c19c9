//! Property tests for webhook verification. Deliveries are signed with `ring`'s HMAC, not with
//! the code under test.

mod support;

use liveblocks::webhooks::{WebhookError, WebhookEvent, WebhookHandler};
use proptest::prelude::*;
use support::webhooks::{secret_of, sign};

fn headers(id: &str, timestamp: &str, signature: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".into(), id.into()),
        ("webhook-timestamp".into(), timestamp.into()),
        ("webhook-signature".into(), signature.into()),
    ]
}

prop_compose! {
    fn delivery()(
        key in prop::collection::vec(any::<u8>(), 1..80),
        id in "[A-Za-z0-9_-]{1,48}",
        sent_at in 0i64..4_000_000_000,
        skew in -300i64..=300,
        body in prop::collection::vec(any::<u8>(), 0..3000),
    ) -> (Vec<u8>, String, i64, i64, Vec<u8>) {
        (key, id, sent_at, sent_at + skew, body)
    }
}

#[derive(Debug, Clone, Copy)]
enum Part {
    Body,
    Id,
    Timestamp,
    Signature,
}

fn flip(bytes: &mut [u8], position: usize, mask: u8) {
    let index = position % bytes.len();
    bytes[index] ^= mask;
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn correctly_signed_deliveries_verify((key, id, sent_at, now, body) in delivery()) {
        let timestamp = sent_at.to_string();
        let signature = sign(&key, &id, &timestamp, &body);
        let handler = WebhookHandler::new(&secret_of(&key)).unwrap();
        prop_assert!(handler
            .verify_signature_at(headers(&id, &timestamp, &signature), &body, now)
            .is_ok());
    }

    #[test]
    fn any_secret_of_a_rotation_verifies(
        (key, id, sent_at, now, body) in delivery(),
        other in prop::collection::vec(any::<u8>(), 1..64),
        new_first in any::<bool>(),
    ) {
        let timestamp = sent_at.to_string();
        let signature = sign(&key, &id, &timestamp, &body);
        let (a, b) = (secret_of(&key), secret_of(&other));
        let secrets = if new_first { [b.as_str(), a.as_str()] } else { [a.as_str(), b.as_str()] };
        let handler = WebhookHandler::with_secrets(&secrets).unwrap();
        prop_assert!(handler
            .verify_signature_at(headers(&id, &timestamp, &signature), &body, now)
            .is_ok());
    }

    #[test]
    fn signed_events_decode_with_their_fields(
        (key, id, sent_at, now, _) in delivery(),
        room in "[^\"\\\\]{0,40}",
        millis in 0i64..4_000_000_000_000,
    ) {
        let at = chrono::DateTime::from_timestamp_millis(millis).unwrap();
        let body = serde_json::to_vec(&serde_json::json!({
            "type": "ydocUpdated",
            "data": { "projectId": "p", "roomId": room, "updatedAt": at.to_rfc3339() },
        })).unwrap();
        let timestamp = sent_at.to_string();
        let signature = sign(&key, &id, &timestamp, &body);
        let handler = WebhookHandler::new(&secret_of(&key)).unwrap();
        let event = handler.verify_at(headers(&id, &timestamp, &signature), &body, now).unwrap();
        match event {
            WebhookEvent::YDocUpdated(data) => {
                prop_assert_eq!(data.room_id, room);
                prop_assert_eq!(data.updated_at, at);
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn any_single_byte_change_fails(
        (key, id, sent_at, now, body) in delivery(),
        part in prop_oneof![
            Just(Part::Body), Just(Part::Id), Just(Part::Timestamp), Just(Part::Signature)
        ],
        position in any::<usize>(),
        mask in 1u8..=255,
    ) {
        let timestamp = sent_at.to_string();
        let signature = sign(&key, &id, &timestamp, &body);
        let handler = WebhookHandler::new(&secret_of(&key)).unwrap();
        let (mut id, mut timestamp, mut signature, mut body) =
            (id.into_bytes(), timestamp.into_bytes(), signature.into_bytes(), body);
        // Header values stay ASCII (the pairs are `String`s): flip only the low 7 bits there.
        let ascii = mask & 0x7f;
        match part {
            Part::Body if !body.is_empty() => flip(&mut body, position, mask),
            Part::Id if ascii != 0 => flip(&mut id, position, ascii),
            Part::Timestamp if ascii != 0 => flip(&mut timestamp, position, ascii),
            Part::Signature if ascii != 0 => flip(&mut signature, position, ascii),
            _ => return Ok(()), // nothing to change
        }
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        let result = handler.verify_signature_at(
            headers(&text(id), &text(timestamp), &text(signature)),
            &body,
            now,
        );
        prop_assert!(result.is_err(), "{:?} change verified", part);
        if let Part::Body = part {
            prop_assert!(matches!(result, Err(WebhookError::NoMatchingSignature)));
        }
    }

    #[test]
    fn arbitrary_headers_never_panic(
        id in ".{0,64}",
        timestamp in ".{0,24}",
        signature in ".{0,200}",
        body in prop::collection::vec(any::<u8>(), 0..256),
        now in any::<i64>(),
    ) {
        let handler = WebhookHandler::new("whsec_c2VjcmV0LWtleS1ieXRlcw").unwrap();
        let result = handler.verify_at(headers(&id, &timestamp, &signature), &body, now);
        prop_assert!(result.is_err());
    }
}
