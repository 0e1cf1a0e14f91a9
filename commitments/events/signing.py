"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret.

Headers sent with every delivery (README, "Events and webhooks", shows how to verify):
`Tracker-Event-Id` (the idempotency key), `Tracker-Event-Type`, `Tracker-Timestamp` (Unix seconds)
and `Tracker-Signature: v1=<hex digest>`.
"""

from __future__ import annotations

import hashlib
import hmac

EVENT_ID_HEADER = "Tracker-Event-Id"
EVENT_TYPE_HEADER = "Tracker-Event-Type"
TIMESTAMP_HEADER = "Tracker-Timestamp"
SIGNATURE_HEADER = "Tracker-Signature"
SCHEME = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def headers(secret: str, *, event_id: str, event_type: str, timestamp: int, body: bytes) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": "commitment-tracker-webhooks/1",
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
