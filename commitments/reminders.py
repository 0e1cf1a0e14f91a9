"""Reminder digests: who is reminded of which stale commitments, once per period.

The job has two halves. `plan_digests` reads: it walks the stale commitments (the one staleness
rule, `Commitment.objects.stale`) in keyset-paginated batches and groups them per recipient.
`deliver_digest` writes: for one recipient it claims the (recipient, period) Reminder row in the
database, sends one email and records the outcome. The Celery tasks, the `send_reminders` command
and the measurement all call these two.

Exactly once per period rests on the database, never on how many workers or beat processes run:

- The unique (recipient, period) row is inserted BEFORE sending; an IntegrityError means another
  worker has it. `select_for_update` is not used: it does nothing on SQLite.
- A claim moves through `pending` (claimed) -> `pending` with `sent_at` set (handed to the mail
  server) -> `sent` or `failed`. Every move after the insert is a conditional UPDATE whose row count
  says who won.
- A `failed` row, and a `pending` row that never reached the mail server and whose claim is older
  than REMINDER_CLAIM_LEASE (its worker died), may be claimed again. A send task's hard time limit
  is shorter than the lease, so a live claim is never taken over.
- A `pending` row that was handed to the mail server and never confirmed is "in doubt": see
  `_send_claimed`. It is never sent again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Commitment, CountryMembership, Reminder, ReminderPreference

logger = logging.getLogger(__name__)

# Period keys of N-day periods count from this Monday, so 7-day periods run Monday to Sunday.
PERIOD_EPOCH = date(2000, 1, 3)
UNSUBSCRIBE_SALT = "commitments.reminders.unsubscribe"
SNOOZE_CHOICES = (7, 30, 90)

Status = Reminder.DeliveryStatus


# --- Periods ------------------------------------------------------------------------------------


def reminder_today(now: datetime) -> date:
    return timezone.localtime(now, ZoneInfo(settings.REMINDER_TIMEZONE)).date()


def period_key(now: datetime) -> str:
    """The reminder period `now` falls in, in REMINDER_TIMEZONE.

    Daily periods are the local date (`2026-11-22`); longer ones are the period's first day and
    length in ISO 8601 (`2026-11-16/P7D`), so changing the length never reuses a daily key.
    """
    today = reminder_today(now)
    days = settings.REMINDER_PERIOD_DAYS
    if days == 1:
        return today.isoformat()
    start = PERIOD_EPOCH + timedelta(days=(today - PERIOD_EPOCH).days // days * days)
    return f"{start.isoformat()}/P{days}D"


# --- Who is reminded of what --------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    recipient_id: int
    period: str
    commitment_ids: tuple[int, ...]


def eligible_recipients(user_ids: Iterable[int], now: datetime):
    """Users among `user_ids` who may get a digest: active, with an email, not opted out and not
    snoozed through the reminder day of `now`."""
    today = reminder_today(now)
    return (
        get_user_model()
        .objects.filter(pk__in=list(user_ids), is_active=True)
        .exclude(email="")
        .exclude(reminder_preference__opted_out=True)
        .exclude(reminder_preference__snoozed_until__gte=today)
    )


def _stale_batches(now: datetime, batch_size: int) -> Iterator[list[tuple[int, str]]]:
    """(id, owner country) of the stale commitments, a batch at a time, by primary key (keyset
    pagination: each batch is one indexed query however deep into the table it is)."""
    last_pk = 0
    while True:
        batch = list(
            Commitment.objects.stale(now)
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "owner_country_id")[:batch_size]
        )
        if not batch:
            return
        yield batch
        last_pk = batch[-1][0]


def plan_digests(now: datetime, *, batch_size: int | None = None) -> list[Digest]:
    """One Digest per recipient with stale commitments at `now`, skipping recipients already sent
    this period.

    A commitment goes to its active responsible users; one with none goes to its owner country's
    coordinators. Opted-out or snoozed users are skipped, not replaced: their choice does not pass
    their reminders to someone else. Queries: 1 for coordinators, 2 per batch of stale commitments,
    1 per batch of recipients, whatever the number of rows.
    """
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    period = period_key(now)
    coordinators: dict[str, list[int]] = defaultdict(list)
    for country_id, user_id in CountryMembership.objects.filter(
        is_coordinator=True, user__is_active=True
    ).values_list("country_id", "user_id"):
        coordinators[country_id].append(user_id)

    responsible_model = Commitment.responsible_users.through
    by_recipient: dict[int, list[int]] = defaultdict(list)
    for batch in _stale_batches(now, batch_size):
        responsible: dict[int, list[int]] = defaultdict(list)
        for commitment_id, user_id in responsible_model.objects.filter(
            commitment_id__in=[pk for pk, _ in batch], user__is_active=True
        ).values_list("commitment_id", "user_id"):
            responsible[commitment_id].append(user_id)
        for pk, owner_country_id in batch:
            for user_id in responsible.get(pk) or coordinators.get(owner_country_id, ()):
                by_recipient[user_id].append(pk)

    recipient_ids = sorted(by_recipient)
    already_sent = Reminder.objects.filter(
        recipient=OuterRef("pk"), period=period, delivery_status=Status.SENT
    )
    eligible: set[int] = set()
    for start in range(0, len(recipient_ids), batch_size):
        chunk = recipient_ids[start : start + batch_size]
        eligible.update(
            eligible_recipients(chunk, now)
            .exclude(Exists(already_sent))
            .values_list("pk", flat=True)
        )
    return [
        Digest(user_id, period, tuple(by_recipient[user_id]))
        for user_id in recipient_ids
        if user_id in eligible
    ]


# --- The email ----------------------------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token: str) -> int:
    """The user id a token was signed for; raises signing.BadSignature if forged or tampered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Malformed unsubscribe token.")
    return data["u"]


def unsubscribe_url(user_id: int) -> str:
    return settings.SITE_URL + reverse(
        "reminders:unsubscribe", kwargs={"token": unsubscribe_token(user_id)}
    )


def edit_url(commitment_id: int) -> str:
    return settings.SITE_URL + reverse("admin:commitments_commitment_change", args=[commitment_id])


def build_digest_email(user, commitments: Sequence[Commitment], *, period: str, now: datetime):
    """The digest as one message with a plain-text and an HTML body from templates/reminders/."""
    items = [
        {
            "title": c.title,
            "status": c.get_status_display(),
            "owner_country": c.owner_country_id,
            "days_since_review": max((now - c.last_reviewed_at).days, 0),
            "last_reviewed_at": c.last_reviewed_at,
            "edit_url": edit_url(c.pk),
        }
        for c in commitments
    ]
    unsubscribe = unsubscribe_url(user.pk)
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "count": len(items),
        "commitments": items,
        "period": period,
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("reminders/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same Message-ID for the same recipient and period: should an operator ever
            # resend a digest by hand, mail clients can recognise the copy.
            "Message-ID": f"<reminder.{period.replace('/', '.')}.{user.pk}@"
            f"{urlsplit(settings.SITE_URL).hostname or 'localhost'}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    return message


# --- Claiming and sending -----------------------------------------------------------------------


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    HELD = "held by another worker"  # claimed, not yet handed to the mail server: check later
    IN_FLIGHT = "handed to the mail server by another worker"
    LOST_CLAIM = "claim taken over before sending"
    NOTHING_STALE = "nothing stale any more"
    NOT_ELIGIBLE = "recipient opted out, snoozed, inactive or without email"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    reminder_id: int | None = None
    check_again_in: float | None = None  # seconds until a HELD claim's lease runs out


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the Reminder is recorded `failed`."""


def _reclaimable(stamp: datetime) -> Q:
    return Q(delivery_status=Status.FAILED) | Q(
        delivery_status=Status.PENDING,
        sent_at__isnull=True,
        claimed_at__lt=stamp - timedelta(seconds=settings.REMINDER_CLAIM_LEASE),
    )


def is_in_doubt(reminder: Reminder, now: datetime) -> bool:
    """Handed to the mail server, never confirmed, and its worker's lease has run out."""
    return (
        reminder.delivery_status == Status.PENDING
        and reminder.sent_at is not None
        and reminder.claimed_at < now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    )


def _set_commitments(reminder_id: int, commitment_ids: Sequence[int], *, replace: bool) -> None:
    through = Reminder.commitments.through
    if replace:
        through.objects.filter(reminder_id=reminder_id).delete()
    through.objects.bulk_create(
        [through(reminder_id=reminder_id, commitment_id=pk) for pk in commitment_ids]
    )


def claim(recipient_id: int, period: str, commitment_ids: Sequence[int]) -> Reminder | None:
    """Claim the (recipient, period) row for this worker, or None if another worker has it.

    The claim's `claimed_at` is this worker's ticket: later updates match on it, so a worker whose
    claim was taken over (it outlived the lease) cannot touch the new owner's row.
    """
    stamp = timezone.now()
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                recipient_id=recipient_id, period=period, claimed_at=stamp
            )
            _set_commitments(reminder.pk, commitment_ids, replace=False)
            return reminder
    except IntegrityError:
        pass
    with transaction.atomic():
        won = (
            Reminder.objects.filter(recipient_id=recipient_id, period=period)
            .filter(_reclaimable(stamp))
            .update(delivery_status=Status.PENDING, claimed_at=stamp, sent_at=None)
        )
        if not won:
            return None
        reminder = Reminder.objects.get(recipient_id=recipient_id, period=period)
        _set_commitments(reminder.pk, commitment_ids, replace=True)
        return reminder


def _held_outcome(recipient_id: int, period: str) -> Delivery:
    row = (
        Reminder.objects.filter(recipient_id=recipient_id, period=period)
        .values("pk", "delivery_status", "sent_at", "claimed_at")
        .first()
    )
    if row is None or row["delivery_status"] == Status.FAILED:
        # Deleted or failed again between our attempts: another claim will settle it soon.
        return Delivery(Outcome.HELD, row and row["pk"], check_again_in=1.0)
    if row["delivery_status"] == Status.SENT:
        return Delivery(Outcome.ALREADY_SENT, row["pk"])
    if row["sent_at"] is not None:
        return Delivery(Outcome.IN_FLIGHT, row["pk"])
    expires = row["claimed_at"] + timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    wait = max((expires - timezone.now()).total_seconds(), 0.0) + 1.0
    return Delivery(Outcome.HELD, row["pk"], check_again_in=wait)


def _send_claimed(reminder: Reminder, message: EmailMultiAlternatives) -> Delivery:
    # Hand-off: record that the message is about to reach the mail server, on our claim only.
    handed = Reminder.objects.filter(
        pk=reminder.pk,
        delivery_status=Status.PENDING,
        claimed_at=reminder.claimed_at,
        sent_at__isnull=True,
    ).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    if not handed:
        return Delivery(Outcome.LOST_CLAIM, reminder.pk)
    try:
        message.send()
    except Exception as exc:
        Reminder.objects.filter(pk=reminder.pk).update(
            delivery_status=Status.FAILED,
            sent_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise DeliveryFailed(str(exc)) from exc
    # The rare case: the mail server accepted the message and this worker dies before the
    # UPDATE below commits. The row stays `pending` with `sent_at` set ("in doubt") and is never
    # claimed again, so the error is a MISSED digest, never a DUPLICATE. Why that way: a server
    # that said 250 has almost certainly delivered it; a second copy is a visible broken promise,
    # while a commitment that stays stale is in the next period's digest anyway. Admin shows such
    # rows as in doubt.
    Reminder.objects.filter(pk=reminder.pk).update(
        delivery_status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Delivery(Outcome.SENT, reminder.pk)


def deliver_digest(
    recipient_id: int, period: str, commitment_ids: Sequence[int], *, now: datetime
) -> Delivery:
    """Send `recipient_id` their digest for `period`, at most once, whoever else is trying.

    Rechecks eligibility and staleness at `now` (a commitment reviewed since the plan drops out).
    Raises DeliveryFailed (the row recorded `failed`, never `sent`) when the mail server fails.
    """
    user = eligible_recipients([recipient_id], now).first()
    if user is None:
        return Delivery(Outcome.NOT_ELIGIBLE)
    commitments = list(
        Commitment.objects.stale(now)
        .filter(pk__in=commitment_ids)
        .order_by("last_reviewed_at", "pk")
    )
    if not commitments:
        return Delivery(Outcome.NOTHING_STALE)
    message = build_digest_email(user, commitments, period=period, now=now)
    reminder = claim(recipient_id, period, [c.pk for c in commitments])
    if reminder is None:
        return _held_outcome(recipient_id, period)
    return _send_claimed(reminder, message)


@dataclass
class RunReport:
    period: str
    digests: list[Digest]
    deliveries: dict[int, Delivery]
    failures: dict[int, str]


def run_once(now: datetime, *, dry_run: bool = False) -> RunReport:
    """The whole job in this process, without a broker: plan, then deliver each digest in turn.

    Used by `send_reminders` and the measurement; the beat task enqueues per recipient instead.
    """
    digests = plan_digests(now)
    report = RunReport(period_key(now), digests, {}, {})
    if dry_run:
        return report
    for digest in digests:
        try:
            report.deliveries[digest.recipient_id] = deliver_digest(
                digest.recipient_id, digest.period, digest.commitment_ids, now=now
            )
        except DeliveryFailed as exc:
            report.failures[digest.recipient_id] = str(exc)
    return report


# --- Recipients' choices ------------------------------------------------------------------------


def opt_out(user_id: int) -> None:
    ReminderPreference.objects.update_or_create(user_id=user_id, defaults={"opted_out": True})


def resubscribe(user_id: int) -> None:
    ReminderPreference.objects.update_or_create(
        user_id=user_id, defaults={"opted_out": False, "snoozed_until": None}
    )


def snooze(user_id: int, days: int, *, now: datetime) -> date:
    """No digests through the returned day (`days` after the reminder day of `now`)."""
    if days not in SNOOZE_CHOICES:
        raise ValueError(f"Snooze for one of {SNOOZE_CHOICES} days.")
    until = reminder_today(now) + timedelta(days=days)
    ReminderPreference.objects.update_or_create(user_id=user_id, defaults={"snoozed_until": until})
    return until
