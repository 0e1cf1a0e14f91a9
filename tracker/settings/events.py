"""Events and webhooks: the outbox's dispatch schedule, webhook delivery limits and safety.

The outbox is dispatched by beat every EVENTS_DISPATCH_INTERVAL seconds and by a kick after each
committed change; the beat job alone is enough, so a broker that was down loses nothing.
"""

from django.core.exceptions import ImproperlyConfigured

from tracker.env import boolean, env, positive_int

from .base import PRODUCTION, SECRET_KEY
from .celery import CELERY_BEAT_SCHEDULE, CELERY_BROKER_TRANSPORT_OPTIONS

EVENTS_DISPATCH_INTERVAL = positive_int("EVENTS_DISPATCH_INTERVAL", 5)
EVENTS_KICK_ON_COMMIT = boolean("EVENTS_KICK_ON_COMMIT", default=True)
# A delivery run sends at most this many events per query, and gives its worker back after
# EVENTS_DELIVERY_SLICE seconds (re-enqueueing itself when events are left).
EVENTS_DELIVERY_BATCH = positive_int("EVENTS_DELIVERY_BATCH", 100)
EVENTS_DELIVERY_SLICE = positive_int("EVENTS_DELIVERY_SLICE", 20)
EVENTS_WEBHOOK_CONNECT_TIMEOUT = positive_int("EVENTS_WEBHOOK_CONNECT_TIMEOUT", 3)
EVENTS_WEBHOOK_READ_TIMEOUT = positive_int("EVENTS_WEBHOOK_READ_TIMEOUT", 5)
EVENTS_WEBHOOK_MAX_RESPONSE_BYTES = positive_int("EVENTS_WEBHOOK_MAX_RESPONSE_BYTES", 64 * 1024)
# Retries: base * 2^(n-1) seconds, capped, jittered between half of that (at least base) and all.
EVENTS_WEBHOOK_RETRY_BACKOFF = positive_int("EVENTS_WEBHOOK_RETRY_BACKOFF", 10)
EVENTS_WEBHOOK_RETRY_BACKOFF_MAX = positive_int("EVENTS_WEBHOOK_RETRY_BACKOFF_MAX", 900)
# Consecutive failed or refused attempts after which an endpoint is disabled and its owner emailed.
EVENTS_WEBHOOK_DISABLE_AFTER = positive_int("EVENTS_WEBHOOK_DISABLE_AFTER", 15)
# A worker's claim on an endpoint, renewed with each event; a killed worker's claim expires.
EVENTS_WEBHOOK_CLAIM_LEASE = positive_int("EVENTS_WEBHOOK_CLAIM_LEASE", 60)
# Production delivers only to https URLs on public addresses; tests and local use may use loopback.
EVENTS_WEBHOOK_REQUIRE_HTTPS = boolean("EVENTS_WEBHOOK_REQUIRE_HTTPS", default=PRODUCTION)
EVENTS_WEBHOOK_ALLOW_PRIVATE = boolean("EVENTS_WEBHOOK_ALLOW_PRIVATE", default=not PRODUCTION)
if PRODUCTION and (EVENTS_WEBHOOK_ALLOW_PRIVATE or not EVENTS_WEBHOOK_REQUIRE_HTTPS):
    raise ImproperlyConfigured(
        "In production webhooks go to https URLs on public addresses only: unset "
        "EVENTS_WEBHOOK_ALLOW_PRIVATE and EVENTS_WEBHOOK_REQUIRE_HTTPS."
    )
if EVENTS_WEBHOOK_CLAIM_LEASE <= 2 * (EVENTS_WEBHOOK_CONNECT_TIMEOUT + EVENTS_WEBHOOK_READ_TIMEOUT):
    raise ImproperlyConfigured(
        "EVENTS_WEBHOOK_CLAIM_LEASE must exceed twice one delivery's connect and read timeouts."
    )
# Like the reminders' limits: a delivery waiting for its retry must never outlive the broker's
# visibility_timeout, or the broker hands the same task to a second worker.
_visibility = CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
if _visibility and max(
    EVENTS_WEBHOOK_RETRY_BACKOFF_MAX, EVENTS_DELIVERY_SLICE + EVENTS_WEBHOOK_CLAIM_LEASE
) * 2 > int(_visibility):
    raise ImproperlyConfigured(
        "EVENTS_WEBHOOK_RETRY_BACKOFF_MAX and EVENTS_DELIVERY_SLICE + EVENTS_WEBHOOK_CLAIM_LEASE "
        f"must stay under half the broker's visibility_timeout ({_visibility}s)."
    )
CELERY_BEAT_SCHEDULE["dispatch-events"] = {
    "task": "commitments.events.dispatch_events",
    "schedule": float(EVENTS_DISPATCH_INTERVAL),
    "options": {"expires": EVENTS_DISPATCH_INTERVAL},
}
# Webhook secrets are sealed at rest (commitments/events/sealing.py) with a key derived from this
# (by default DJANGO_SECRET_KEY, which production requires); earlier keys in the fallbacks still
# open what they sealed.
EVENTS_WEBHOOK_SECRET_KEY = env.str("EVENTS_WEBHOOK_SECRET_KEY", default=SECRET_KEY)
EVENTS_WEBHOOK_SECRET_KEY_FALLBACKS = env.list("EVENTS_WEBHOOK_SECRET_KEY_FALLBACKS", default=[])
if PRODUCTION and len(EVENTS_WEBHOOK_SECRET_KEY) < 32:
    raise ImproperlyConfigured("EVENTS_WEBHOOK_SECRET_KEY must be at least 32 characters long.")
