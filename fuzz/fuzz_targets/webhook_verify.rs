//! Webhook verification over arbitrary secrets, headers, bodies and clocks must never panic.
//! When `sign` is set the target signs the body itself, so the JSON decoder is reached too; such
//! a delivery must then pass every check but the decoding.
//!
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run webhook_verify -- -max_total_time=180`

#![no_main]

use base64::Engine as _;
use hmac::{Hmac, Mac};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use liveblocks::webhooks::{WebhookError, WebhookHandler};
use sha2::Sha256;
use std::time::Duration;

const KEY: &[u8] = b"fuzzing key bytes";

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    secret: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: &'a [u8],
    now: i64,
    tolerance: u32,
    sign: bool,
    id: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    // Any secret string: a handler or an InvalidSecret error, never a panic.
    if let Ok(handler) = WebhookHandler::new(input.secret) {
        let _ = handler.verify_at(input.headers.as_slice(), input.body, input.now);
    }

    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(KEY)
    );
    let handler = WebhookHandler::new(&secret)
        .expect("a valid secret")
        .tolerance(Duration::from_secs(u64::from(input.tolerance)));

    // Fuzzed headers, as string pairs and as an http::HeaderMap.
    let _ = handler.verify_at(input.headers.as_slice(), input.body, input.now);
    let mut map = http::HeaderMap::new();
    for (name, value) in &input.headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            map.append(name, value);
        }
    }
    let _ = handler.verify_at(&map, input.body, input.now);

    if input.sign && !input.id.trim().is_empty() && input.now >= 0 {
        let timestamp = input.now.to_string();
        let mut mac = Hmac::<Sha256>::new_from_slice(KEY).expect("any key length");
        mac.update(format!("{}.{timestamp}.", input.id).as_bytes());
        mac.update(input.body);
        let signature = format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        );
        let headers = [
            ("webhook-id", input.id),
            ("webhook-timestamp", timestamp.as_str()),
            ("webhook-signature", signature.as_str()),
        ];
        match handler.verify_at(&headers, input.body, input.now) {
            Ok(_) | Err(WebhookError::InvalidJson { .. }) => {}
            Err(other) => panic!("a correctly signed delivery failed: {other}"),
        }
    }
});
