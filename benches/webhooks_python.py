"""Times the official Python SDK's WebhookHandler.verify_request (PyPI `liveblocks`).

Called by benches/webhooks.rs: python webhooks_python.py SECRET WEBHOOK_ID BODY_FILE...
Prints one rate (verifications per second) per body file: the best of 12 rounds of about
0.25 s each (best-of, like the Rust side, to discount load from other processes).
"""

import base64
import hashlib
import hmac
import sys
import time

from liveblocks.webhooks import WebhookHandler

secret, webhook_id, *paths = sys.argv[1:]
handler = WebhookHandler(secret)
key = base64.b64decode(secret[len("whsec_"):])
rates = []
for path in paths:
    with open(path, encoding="utf-8") as f:
        body = f.read()
    timestamp = str(int(time.time()))
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
    handler.verify_request(headers=headers, raw_body=body)  # fails loudly if not genuine
    best = 0.0
    for _ in range(12):
        count, start = 0, time.perf_counter()
        while True:
            for _ in range(20):
                handler.verify_request(headers=headers, raw_body=body)
            count += 20
            elapsed = time.perf_counter() - start
            if elapsed >= 0.25:
                break
        best = max(best, count / elapsed)
    rates.append(best)
print(" ".join(f"{rate:.1f}" for rate in rates))
