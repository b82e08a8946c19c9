//! Webhook deliveries signed the way Liveblocks signs them, with `ring`'s HMAC rather than the
//! code under test.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The `webhook-signature` entry (`v1,<base64>`) of HMAC-SHA256 over `id.timestamp.body`.
pub fn sign(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut context = ring::hmac::Context::with_key(&key);
    context.update(id.as_bytes());
    context.update(b".");
    context.update(timestamp.as_bytes());
    context.update(b".");
    context.update(body);
    format!("v1,{}", STANDARD.encode(context.sign().as_ref()))
}

/// The `whsec_` secret for the raw key bytes.
pub fn secret_of(key: &[u8]) -> String {
    format!("whsec_{}", STANDARD.encode(key))
}
