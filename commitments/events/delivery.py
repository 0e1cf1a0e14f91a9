"""Deliver events to webhook endpoints: one worker per endpoint at a time, in order, logged.

A worker first claims the endpoint with a conditional UPDATE (free or expired claim, next attempt
due); the claim is renewed with every event it delivers and checked by the same statement that
advances the endpoint's cursor, so a worker that lost its claim (it stalled past the lease and
another took over) stops at once. A worker killed mid-delivery leaves a claim that expires after
EVENTS_WEBHOOK_CLAIM_LEASE; the event it was sending is sent again, with the same event id, which
the receiver uses to drop the duplicate.

Outcomes: a 2xx delivers; network errors, timeouts, 408, 429 and 5xx are retried after a capped
exponential backoff with jitter, holding back the events behind it; any other answer (3xx, since
redirects are not followed, or 4xx) is logged as refused and the endpoint moves on. Every attempt
is one WebhookDelivery row. After EVENTS_WEBHOOK_DISABLE_AFTER consecutive failed or refused
attempts the endpoint is disabled and its owner is emailed.
"""

from __future__ import annotations

import enum
import logging
import random
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .. import clock
from . import safety, signing
from .models import Event, WebhookDelivery, WebhookEndpoint, WebhookRedelivery
from .selectors import event_payload, filtered, visible_events

logger = logging.getLogger(__name__)
Outcome = WebhookDelivery.Outcome
RETRYABLE_STATUSES = frozenset({408, 429})
EXCERPT_CHARS = 500


class Result(enum.Enum):
    IDLE = "idle"  # nothing left to send
    BUSY = "busy"  # another worker holds the endpoint, or it waits for its next attempt
    MORE = "more"  # the time slice ended with events left: run again
    RETRY = "retry"  # an attempt failed: run again after the backoff
    LOST = "lost"  # the claim expired and another worker took over
    DISABLED = "disabled"


@dataclass
class Run:
    result: Result
    delivered: int = 0
    retry_in: float | None = None


@dataclass
class Attempt:
    outcome: str
    status: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0


_client: httpx.Client | None = None


def _http() -> httpx.Client:
    """One client per worker process, made after the fork, keeping connections alive."""
    global _client
    if _client is None:
        _client = httpx.Client(
            timeout=httpx.Timeout(
                settings.EVENTS_WEBHOOK_READ_TIMEOUT,
                connect=settings.EVENTS_WEBHOOK_CONNECT_TIMEOUT,
            ),
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: the checked address is the target
            # Headers and body go out as two writes; with Nagle on, the body would wait for the
            # receiver's delayed ACK (40 ms a request on Linux).
            transport=httpx.HTTPTransport(
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
            ),
        )
    return _client


def backoff(failures: int) -> float:
    """Seconds before the next attempt: doubling from the base, capped, jittered in its upper half
    and never under the base (the floor), so retries neither storm nor synchronise."""
    base = settings.EVENTS_WEBHOOK_RETRY_BACKOFF
    delay = min(settings.EVENTS_WEBHOOK_RETRY_BACKOFF_MAX, base * 2 ** max(failures - 1, 0))
    return random.uniform(max(base, delay / 2), delay)  # noqa: S311 (jitter, not a secret)


def _target(url: str, address: str) -> tuple[str, str]:
    """`url` with its host replaced by the checked address, and the Host header to send."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), parts.netloc


def send(endpoint: WebhookEndpoint, event: Event) -> Attempt:
    """POST one event, signed; never raises for what the network or the receiver does."""
    body = orjson.dumps(event_payload(event))
    headers = signing.headers(
        endpoint.secret,
        event_id=str(event.uuid),
        event_type=event.type,
        timestamp=int(clock.now().timestamp()),
        body=body,
    )
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        address = safety.resolve(endpoint.url)
    except safety.UnsafeTarget as exc:
        return Attempt(Outcome.BLOCKED, error=str(exc), duration_ms=took())
    url, host = _target(endpoint.url, address)
    headers["Host"] = host
    extensions = {"sni_hostname": urlsplit(endpoint.url).hostname}
    cap = settings.EVENTS_WEBHOOK_MAX_RESPONSE_BYTES
    deadline = (
        started + settings.EVENTS_WEBHOOK_CONNECT_TIMEOUT + settings.EVENTS_WEBHOOK_READ_TIMEOUT
    )
    try:
        with _http().stream(
            "POST", url, content=body, headers=headers, extensions=extensions
        ) as response:
            received = bytearray()
            for chunk in response.iter_bytes():
                received += chunk
                # The cap bounds memory, the deadline a receiver that drips its answer.
                if len(received) >= cap or time.monotonic() > deadline:
                    break
            code = response.status_code
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS]
        return Attempt(Outcome.FAILED, error=error, duration_ms=took())
    excerpt = bytes(received[:cap]).decode("utf-8", "replace")[:EXCERPT_CHARS]
    if 200 <= code < 300:
        outcome = Outcome.DELIVERED
    elif code >= 500 or code in RETRYABLE_STATUSES:
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.REFUSED
    return Attempt(outcome, status=code, excerpt=excerpt, duration_ms=took())


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def due_endpoints(now: datetime | None = None) -> list[int]:
    """Active endpoints, free and due, with visible events past their cursor or a redelivery."""
    now = now or clock.now()
    latest = visible_events().order_by("-xid", "-id").values_list("xid", "id").first()
    endpoints = (
        WebhookEndpoint.objects.filter(_free(now), _due(now), is_active=True)
        .annotate(redeliver=Exists(WebhookRedelivery.objects.filter(endpoint=OuterRef("pk"))))
        .values_list("pk", "cursor_xid", "cursor_event_id", "redeliver")
    )
    return [
        pk
        for pk, cursor_xid, cursor_id, redeliver in endpoints
        if redeliver or (latest is not None and (cursor_xid, cursor_id) < latest)
    ]


class _Lost(Exception):
    pass


class _Delivery:
    """One claimed run over one endpoint."""

    def __init__(self, endpoint_id: int):
        self.endpoint_id = endpoint_id
        self.token = uuid.uuid4().hex
        self.delivered = 0

    def claim(self) -> bool:
        now = clock.now()
        return bool(
            WebhookEndpoint.objects.filter(_free(now), _due(now), pk=self.endpoint_id)
            .filter(is_active=True)
            .update(
                claim_token=self.token,
                claimed_until=now + timedelta(seconds=settings.EVENTS_WEBHOOK_CLAIM_LEASE),
            )
        )

    def release(self) -> None:
        WebhookEndpoint.objects.filter(pk=self.endpoint_id, claim_token=self.token).update(
            claim_token="", claimed_until=None
        )

    def mine(self):
        return WebhookEndpoint.objects.filter(pk=self.endpoint_id, claim_token=self.token)

    def run(self) -> Run:
        if not self.claim():
            return Run(Result.BUSY)
        try:
            return self._drain()
        except _Lost:
            return Run(Result.LOST, self.delivered)
        finally:
            self.release()

    def _drain(self) -> Run:
        slice_ends = time.monotonic() + settings.EVENTS_DELIVERY_SLICE
        endpoint = WebhookEndpoint.objects.get(pk=self.endpoint_id)
        while True:
            if time.monotonic() > slice_ends:
                return Run(Result.MORE, self.delivered)
            for redelivery in WebhookRedelivery.objects.filter(endpoint=endpoint).select_related(
                "event"
            )[: settings.EVENTS_DELIVERY_BATCH]:
                outcome = self._attempt(endpoint, redelivery.event, redelivery=redelivery)
                if outcome is not None:
                    return outcome
            latest = visible_events().order_by("-xid", "-id").values_list("xid", "id").first()
            if latest is None or (endpoint.cursor_xid, endpoint.cursor_event_id) >= latest:
                return Run(Result.IDLE, self.delivered)
            # Everything at or before `latest` is committed and will stay the same; bounding the
            # batch by it lets the cursor skip the events this endpoint does not want.
            batch = list(
                filtered(
                    Event.objects.filter(
                        Q(xid__gt=endpoint.cursor_xid)
                        | Q(xid=endpoint.cursor_xid, id__gt=endpoint.cursor_event_id),
                        Q(xid__lt=latest[0]) | Q(xid=latest[0], id__lte=latest[1]),
                    ),
                    types=endpoint.event_types,
                    countries=endpoint.countries,
                ).order_by("xid", "id")[: settings.EVENTS_DELIVERY_BATCH]
            )
            for event in batch:
                outcome = self._attempt(endpoint, event)
                if outcome is not None:
                    return outcome
            if len(batch) < settings.EVENTS_DELIVERY_BATCH:
                self._advance(endpoint, *latest)

    def _advance(self, endpoint: WebhookEndpoint, xid: int, event_id: int, **fields) -> None:
        lease = clock.now() + timedelta(seconds=settings.EVENTS_WEBHOOK_CLAIM_LEASE)
        if not self.mine().update(
            cursor_xid=xid, cursor_event_id=event_id, claimed_until=lease, **fields
        ):
            raise _Lost
        endpoint.cursor_xid, endpoint.cursor_event_id = xid, event_id

    def _attempt(
        self, endpoint: WebhookEndpoint, event: Event, redelivery: WebhookRedelivery | None = None
    ) -> Run | None:
        """Send one event and record it; a Run when this run must stop, else None."""
        attempt = send(endpoint, event)
        now = clock.now()
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            outcome=attempt.outcome,
            is_redelivery=redelivery is not None,
            attempted_at=now,
            duration_ms=attempt.duration_ms,
            response_status=attempt.status,
            response_excerpt=attempt.excerpt,
            error=attempt.error,
        )
        lease = now + timedelta(seconds=settings.EVENTS_WEBHOOK_CLAIM_LEASE)
        delivered = attempt.outcome == Outcome.DELIVERED
        failures = 0 if delivered else endpoint.consecutive_failures + 1
        endpoint.consecutive_failures = failures
        if attempt.outcome in (Outcome.FAILED, Outcome.BLOCKED):
            delay = backoff(failures)
            if not self.mine().update(
                consecutive_failures=failures,
                next_attempt_at=now + timedelta(seconds=delay),
                claimed_until=lease,
            ):
                raise _Lost
            if failures >= settings.EVENTS_WEBHOOK_DISABLE_AFTER:
                disable(endpoint, attempt)
                return Run(Result.DISABLED, self.delivered)
            return Run(Result.RETRY, self.delivered, retry_in=delay)
        if attempt.outcome == Outcome.DELIVERED:
            self.delivered += 1
        # Delivered, or refused for good: this event is done; move on to the next.
        if redelivery is not None:
            if not self.mine().update(consecutive_failures=failures, claimed_until=lease):
                raise _Lost
            redelivery.delete()
        else:
            self._advance(
                endpoint, event.xid, event.pk, consecutive_failures=failures, next_attempt_at=None
            )
        if failures >= settings.EVENTS_WEBHOOK_DISABLE_AFTER:
            disable(endpoint, attempt)
            return Run(Result.DISABLED, self.delivered)
        return None


def deliver(endpoint_id: int) -> Run:
    """Send `endpoint_id` its pending events until none is left, a failure, or the time slice."""
    return _Delivery(endpoint_id).run()


def disable(endpoint: WebhookEndpoint, attempt: Attempt) -> None:
    """Turn the endpoint off and tell its owner; only the worker that turned it off emails."""
    reason = attempt.error or f"HTTP {attempt.status}"
    reason = _("%(count)d consecutive failed deliveries; the last: %(reason)s") % {
        "count": endpoint.consecutive_failures,
        "reason": reason,
    }
    turned_off = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=clock.now(), disabled_reason=reason[:300]
    )
    if not turned_off or not endpoint.owner.email:
        return
    subject = _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url}
    message = _(
        "The commitment tracker stopped sending events to %(url)s after %(reason)s.\n\n"
        "Events are kept: once the receiver works again, re-enable the endpoint in admin "
        "(%(admin)s) and it receives every event it missed, in order."
    ) % {
        "url": endpoint.url,
        "reason": reason,
        "admin": f"{settings.SITE_URL}/admin/commitments/webhookendpoint/{endpoint.pk}/change/",
    }
    try:
        send_mail(subject, message, None, [endpoint.owner.email])
    except Exception:  # the endpoint is disabled either way; the log says so
        logger.exception("Could not email the owner of webhook endpoint %s", endpoint.pk)


def enable(endpoints) -> int:
    """Turn endpoints back on; they resume from their cursor, so nothing is missed."""
    return endpoints.update(
        is_active=True,
        disabled_at=None,
        disabled_reason="",
        consecutive_failures=0,
        next_attempt_at=None,
    )


def redeliver(endpoint: WebhookEndpoint, events) -> int:
    """Queue `events` to be sent again to `endpoint`, in feed order, before its next events."""
    rows = [
        WebhookRedelivery(endpoint=endpoint, event=event) for event in events.order_by("xid", "id")
    ]
    created = WebhookRedelivery.objects.bulk_create(rows, ignore_conflicts=True)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(next_attempt_at=None)
    return len(created)
