"""Celery tasks for reminder digests: thin wrappers that own only their retry policy.

`send_stale_reminders` is the beat job: it plans the digests and enqueues one `send_reminder_digest`
per recipient. Running it twice (two beat processes, a redelivered task, a manual run) only
enqueues duplicates that the (recipient, period) claim in `reminders.deliver_digest` turns away.

Time limits, retry delays and the claim lease all stay well under Redis's visibility_timeout
(checked in settings), so a task waiting for its retry is never handed to a second worker.
"""

from __future__ import annotations

import smtplib
from datetime import datetime

from celery import shared_task
from django.conf import settings

from . import clock, reminders

# Errors worth another try: the mail server is down, refuses for now, or the network failed.
RETRYABLE = (
    reminders.DeliveryFailed,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OSError,
)


def _moment(now: str | None) -> datetime:
    return clock.parse_moment(now) if now else clock.now()


@shared_task(
    name="commitments.tasks.send_stale_reminders",
    acks_late=True,
    soft_time_limit=9 * 60,
    time_limit=10 * 60,
)
def send_stale_reminders(now: str | None = None) -> dict:
    """Plan this period's digests and enqueue one send per recipient."""
    moment = _moment(now)
    digests = reminders.plan_digests(moment)
    for digest in digests:
        send_reminder_digest.delay(
            digest.recipient_id, digest.period, list(digest.commitment_ids), moment.isoformat()
        )
    return {"period": reminders.period_key(moment), "enqueued": len(digests)}


@shared_task(
    bind=True,
    name="commitments.tasks.send_reminder_digest",
    acks_late=True,
    autoretry_for=RETRYABLE,
    max_retries=settings.REMINDER_MAX_RETRIES,
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    soft_time_limit=max(settings.REMINDER_SEND_TIME_LIMIT * 9 // 10, 1),
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_reminder_digest(
    self, recipient_id: int, period: str, commitment_ids: list[int], now: str | None = None
) -> str:
    delivery = reminders.deliver_digest(recipient_id, period, commitment_ids, now=_moment(now))
    if delivery.outcome is reminders.Outcome.HELD:
        # Another worker claimed it and has not reached the mail server. If that worker died,
        # its claim expires with the lease: look again then rather than skip the digest.
        raise self.retry(countdown=delivery.check_again_in)
    return str(delivery.outcome)
