"""Celery tasks for reminder digests: thin wrappers that own only their retry policy.

`send_stale_reminders` is the beat job (hourly from REMINDER_HOUR, see settings): it plans what
the period still owes and enqueues one `send_reminder_digest` per recipient. Running it again, on
two beats, or after a crash only enqueues duplicates that the (recipient, period) claim turns away;
running it after an outage sends what the outage held up.

Both retry on the errors an outage raises (database, broker, mail server) with a backoff that has a
floor and a cap. Time limits, retry delays and the claim lease all stay under the broker's
visibility timeout (checked in settings), so a task waiting for its retry is never handed to a
second worker. The tasks are named for their package (`commitments.reminders.*`); messages queued
under the first release's names (`commitments.tasks.*`) are not run, so drain the queue before
upgrading from it.
"""

from __future__ import annotations

import random
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import connection
from kombu.exceptions import OperationalError as BrokerError

from .. import clock
from .delivery import DATABASE_ERRORS, ClaimAbandoned, DeliveryFailed, Outcome, deliver_digest
from .planning import Digest, period_end, plan_digests

# Errors worth another try: the database, the broker or the mail server is down or refusing.
RETRYABLE = (
    DeliveryFailed,
    smtplib.SMTPException,
    OSError,  # ConnectionError, TimeoutError
    BrokerError,
    *DATABASE_ERRORS,
)


def backoff(retries: int) -> float:
    """Seconds before retry number `retries` + 1: exponential from REMINDER_RETRY_BACKOFF, capped
    at REMINDER_RETRY_BACKOFF_MAX, with jitter in the upper half only, so never 0 s (a retry at
    once would hit the same outage) and never below the floor."""
    floor = settings.REMINDER_RETRY_BACKOFF
    ceiling = min(settings.REMINDER_RETRY_BACKOFF_MAX, floor * 2 ** min(retries, 32))
    return max(floor, random.uniform(ceiling / 2, ceiling))  # noqa: S311  (not security)


def _retry(task, exc: Exception, **kwargs):
    if isinstance(exc, DATABASE_ERRORS):
        connection.close()  # reconnect on the next try instead of reusing a dead socket
    return task.retry(exc=exc, countdown=backoff(task.request.retries), **kwargs)


@shared_task(
    bind=True,
    name="commitments.reminders.send_stale_reminders",
    acks_late=True,
    max_retries=settings.REMINDER_MAX_RETRIES,
    soft_time_limit=9 * 60,
    time_limit=10 * 60,
)
def send_stale_reminders(self, now: str | None = None) -> dict:
    """Plan what this period still owes and enqueue one send per recipient."""
    moment = clock.parse_moment(now)
    try:
        plan = plan_digests(moment, clock_now=clock.now())
        # The live job's sends expire with the period; a replay for a moment given by hand
        # (`now`) sends what that moment's period owed, whenever it runs.
        until = None if now else period_end(moment).isoformat()
        for digest in plan.digests:
            send_reminder_digest.apply_async(
                args=(
                    digest.recipient_id,
                    digest.period,
                    list(digest.commitment_ids),
                    moment.isoformat(),
                ),
                kwargs={"due_ids": list(digest.due_ids), "until": until},
            )
    except RETRYABLE as exc:
        # The retry plans for the same moment, hence the same period.
        raise _retry(self, exc, kwargs={"now": moment.isoformat()}) from exc
    return {"period": plan.period, "enqueued": len(plan.digests)}


@shared_task(
    bind=True,
    name="commitments.reminders.send_reminder_digest",
    acks_late=True,
    max_retries=settings.REMINDER_MAX_RETRIES,
    soft_time_limit=max(settings.REMINDER_SEND_TIME_LIMIT * 9 // 10, 1),
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_reminder_digest(
    self,
    recipient_id: int,
    period: str,
    commitment_ids: list[int],
    now: str | None = None,
    due_ids: list[int] | None = None,
    until: str | None = None,
    abandoned: list[str] | None = None,
) -> str:
    """Send one digest. `until`: the end of its period, after which it is not sent (the next
    period's digest says the same); `abandoned`: claim tokens of this task's earlier tries that
    the database cut off before any "." was written, whose rows it takes over at once."""
    if until and clock.now() >= clock.parse_moment(until):
        return str(Outcome.EXPIRED)
    digest = Digest(recipient_id, period, tuple(commitment_ids), tuple(due_ids or ()))
    abandoned = list(abandoned or ())
    try:
        delivery = deliver_digest(digest, now=clock.parse_moment(now), abandoned=abandoned)
    except ClaimAbandoned as exc:
        abandoned = [*abandoned, exc.token][-20:]
        kwargs = {"due_ids": list(due_ids or ()), "until": until, "abandoned": abandoned}
        raise _retry(self, exc, kwargs=kwargs) from exc
    except RETRYABLE as exc:
        raise _retry(self, exc) from exc
    if delivery.outcome is Outcome.HELD:
        # Another attempt claimed it and has not reached the end of the message. If it died, its
        # claim expires with the lease: look again then rather than skip the digest.
        raise self.retry(countdown=max(delivery.check_again_in or 0, 1.0))
    return str(delivery.outcome)
