"""Delivery: claim digests in the database, send them, record how far each got.

Exactly once per period rests on the database, never on how many workers or beat processes run.
The protocol, for a batch of digests of one period (a batch of one for a Celery send task):

1. Recheck at `now`: which recipients are still eligible and which of their commitments are still
   stale or due (one reviewed since the plan drops out). 2 queries for the batch.
2. Build every message before claiming anything (no queries), so a template error claims nothing.
3. Claim in bulk, with a token new to this attempt. INSERT one (recipient, period) row per digest,
   skipping conflicts; UPDATE to our token the rows a claim may take over (`failed`, or `pending`
   short of the end of DATA whose lease has run out); SELECT the rows holding our token: those
   are ours. The unique (recipient, period) constraint makes the insert race-free and the
   UPDATE's WHERE the take-over; `select_for_update` is not used (it does nothing on SQLite).
   Then record which commitments each claimed digest lists. 4-5 queries for the batch.
4. Talk SMTP for each claimed digest (`smtp.PhasedEmailBackend` follows the phases: connect,
   greeting, mail, data). Just before the final "." of DATA, mark the row END_OF_DATA, on our
   token only: a worker whose claim was taken over stops there and drops the connection without
   the ".", so the server discards the message. 1 query per digest.
5. Record the outcome on our token. 1 query per failed digest.
   - The server answered 250: `sent`, up to CONFIRM_EVERY digests in one UPDATE.
   - Anything failed before the end of DATA (refused, down, no greeting, a timeout, a 4xx/5xx to
     MAIL, RCPT or DATA, or the database write of step 4 itself), or the server answered the
     message with an error: `failed`, with the phase reached and the error. A worker that never
     wrote the "." puts its row back so even when the hand-off write of step 4 committed but its
     answer was lost: it knows the server discarded the message. That write is retried for
     REMINDER_DB_PATIENCE seconds; if the database stays away longer, the send task retries with
     the attempt's token marked abandoned, and its next claim takes that row over at once (no
     lease to wait: the claimant is known dead and known not to have sent the ".").
     A passing failure is retried by the send task with backoff, then by every later run of the
     period; a permanent one (a 5xx: 550 no such mailbox) is not retried by the task, and by at
     most REMINDER_CATCH_UP_RETRIES later runs, or once the recipient's address has changed.
   - No answer after the "." (a timeout, a lost connection): the server may have accepted it.
     The row stays `pending` at END_OF_DATA, "in doubt", and is never sent again: this errs
     towards a missed digest, never a duplicate. A commitment still stale is in the next
     period's digest anyway.
   A worker that dies in step 4 before the "." leaves its row `pending` short of END_OF_DATA: the
   redelivered task, or a later run of the period, takes it over once REMINDER_CLAIM_LEASE has
   passed (a send task's hard time limit is shorter than the lease, so a live claim is never
   taken over).
6. For the digests another attempt holds, read what holds them. 1 query for the batch.

Two digests of two periods never reach one recipient less than REMINDER_MIN_GAP apart (step 1
holds back a recipient whose last digest was handed to the server more recently; a later run
sends it), and a send task never sends after the end of the period it was planned for.

So a batch of B digests costs about 7 + B + B / CONFIRM_EVERY queries.
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Exists, F, OuterRef, Q, Value

from .. import clock, rules
from ..models import Commitment
from .email import build_digest_email
from .models import Reminder
from .planning import Digest, Plan, due_by, eligible_recipients, plan_digests
from .smtp import PhasedEmailBackend

logger = logging.getLogger(__name__)

DeliveryStatus = Reminder.DeliveryStatus
Phase = Reminder.Phase
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Accepted messages are recorded `sent` this many at a time (one UPDATE), which keeps a digest
# near 1 query; the window in which a crash would leave accepted digests "in doubt" stays short.
CONFIRM_EVERY = 100


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    ALREADY_SENT = "already sent"
    HELD = "held by another worker"  # claimed, short of the end of DATA: check later
    IN_FLIGHT = "handed to the mail server by another worker"
    IN_DOUBT = "in doubt: no answer after the end of the message, never sent again"
    LOST_CLAIM = "claim taken over before sending"
    NOTHING_STALE = "nothing stale or due any more"
    NOT_ELIGIBLE = "recipient opted out, snoozed, inactive or without email"
    TOO_SOON = "the recipient's previous digest went out less than REMINDER_MIN_GAP ago"
    EXPIRED = "its period is over: the next period's digest says the same"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    reminder_id: int | None = None
    check_again_in: float | None = None  # seconds until a HELD claim's lease runs out
    error: str = ""
    phase: str = ""
    permanent: bool = False  # the server refused it for good (5xx): the task does not retry


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the Reminder is recorded `failed`."""


class ClaimAbandoned(OperationalError):
    """The database failed while this attempt held claims and before it wrote any final ".":
    the rows it holds (`token`) may be taken over at once by the retry that names the token."""

    def __init__(self, token: str):
        super().__init__(f"claim {token} abandoned before the end of the message")
        self.token = token


class _LostClaim(Exception):
    pass


def lease() -> timedelta:
    return timedelta(seconds=settings.REMINDER_CLAIM_LEASE)


def _reclaimable(stamp: datetime, abandoned: Sequence[str] = ()) -> Q:
    rule = Q(delivery_status=DeliveryStatus.FAILED) | (
        Q(delivery_status=DeliveryStatus.PENDING, claimed_at__lt=stamp - lease())
        & ~Q(phase=Phase.END_OF_DATA)
    )
    if abandoned:
        # Our own earlier attempts, which never wrote the ".": at any phase, with no lease.
        rule |= Q(delivery_status=DeliveryStatus.PENDING, claim_token__in=list(abandoned))
    return rule


def permanent_code(exc: BaseException) -> int | None:
    """The SMTP code of a permanent refusal of this recipient or message (a 5xx to RCPT, or to
    the message), or None. A 5xx to the greeting or MAIL FROM is the server's or our own
    configuration, for every recipient alike: a passing failure, retried when it is mended."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
    elif isinstance(exc, smtplib.SMTPDataError):
        codes = [exc.smtp_code]
    else:
        return None
    codes = [c for c in codes if isinstance(c, int)]
    return min(codes) if codes and all(500 <= c < 600 for c in codes) else None


def is_in_doubt(reminder: Reminder, now: datetime) -> bool:
    """The message's final "." may have reached the server and no answer was recorded: either
    its worker said so, or its lease has run out."""
    return (
        reminder.delivery_status == DeliveryStatus.PENDING
        and reminder.phase == Phase.END_OF_DATA
        and (bool(reminder.last_error) or reminder.claimed_at < now - lease())
    )


def open_connection():
    """The configured email backend; Django's SMTP backend is swapped for the phased one."""
    backend = get_connection()
    if type(backend) is DjangoSMTPBackend:
        return PhasedEmailBackend()
    return backend


def _patiently(write: Callable[[], int]) -> int:
    """Run a write that must not be lost to a short database outage (the record of a message the
    server accepted), retrying for up to REMINDER_DB_PATIENCE seconds."""
    deadline = time.monotonic() + settings.REMINDER_DB_PATIENCE
    pause = 0.25
    while True:
        try:
            return write()
        except DATABASE_ERRORS:
            if time.monotonic() + pause > deadline:
                raise
            connection.close()  # a broken connection is reopened by the next query
            time.sleep(pause)
            pause = min(pause * 2, 4.0)


# --- 3. Claims ----------------------------------------------------------------------------------


def claim_many(
    period: str,
    listed: dict[int, Iterable[int]],
    *,
    stamp: datetime,
    token: str | None = None,
    abandoned: Sequence[str] = (),
) -> dict[int, tuple[int, str]]:
    """Claim the (recipient, period) rows of `listed` (recipient -> commitment ids) for this
    attempt: {recipient id: (reminder id, claim token)} for those won. Rows held by the
    `abandoned` tokens (earlier attempts of the same caller, known dead before any ".") are taken
    over without waiting for their lease."""
    if not listed:
        return {}
    token = token or uuid.uuid4().hex
    recipients = list(listed)
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient_id=recipient_id,
                period=period,
                claimed_at=stamp,
                claim_token=token,
                attempts=1,
            )
            for recipient_id in recipients
        ],
        ignore_conflicts=True,
    )
    taken_over = (
        Reminder.objects.filter(period=period, recipient_id__in=recipients)
        .exclude(claim_token=token)
        .filter(_reclaimable(stamp, abandoned))
        .update(
            delivery_status=DeliveryStatus.PENDING,
            phase=Phase.CLAIMED,
            claim_token=token,
            claimed_at=stamp,
            attempts=F("attempts") + 1,
        )
    )
    won = dict(
        Reminder.objects.filter(
            period=period, recipient_id__in=recipients, claim_token=token
        ).values_list("recipient_id", "pk")
    )
    through = Reminder.commitments.through
    if taken_over:
        through.objects.filter(reminder_id__in=won.values()).delete()
    through.objects.bulk_create(
        [
            through(reminder_id=reminder_id, commitment_id=commitment_id)
            for recipient_id, reminder_id in won.items()
            for commitment_id in sorted(set(listed[recipient_id]))
        ],
        batch_size=1000,
    )
    return {recipient_id: (reminder_id, token) for recipient_id, reminder_id in won.items()}


def _held_outcomes(period: str, recipient_ids: list[int], stamp: datetime) -> dict[int, Delivery]:
    rows = {
        row["recipient_id"]: row
        for row in Reminder.objects.filter(period=period, recipient_id__in=recipient_ids).values(
            "recipient_id", "pk", "delivery_status", "phase", "claimed_at"
        )
    }
    outcomes = {}
    for recipient_id in recipient_ids:
        row = rows.get(recipient_id)
        if row is None or row["delivery_status"] == DeliveryStatus.FAILED:
            # Deleted or failed again between our statements: another claim settles it soon.
            outcomes[recipient_id] = Delivery(Outcome.HELD, row and row["pk"], check_again_in=1.0)
        elif row["delivery_status"] == DeliveryStatus.SENT:
            outcomes[recipient_id] = Delivery(Outcome.ALREADY_SENT, row["pk"])
        elif row["phase"] == Phase.END_OF_DATA:
            outcomes[recipient_id] = Delivery(Outcome.IN_FLIGHT, row["pk"])
        else:
            expires = row["claimed_at"] + lease()
            wait = max((expires - stamp).total_seconds(), 0.0) + 1.0
            outcomes[recipient_id] = Delivery(Outcome.HELD, row["pk"], check_again_in=wait)
    return outcomes


# --- 4 and 5. Sending ---------------------------------------------------------------------------


@dataclass
class _Progress:
    """Whether this attempt may have written a final "." (then its claims are never abandoned)."""

    handed_off: bool = False


def _send_claimed(
    reminder_id: int,
    token: str,
    message: EmailMultiAlternatives,
    backend,
    progress: _Progress | None = None,
) -> Delivery:
    progress = progress or _Progress()
    mine = Reminder.objects.filter(
        pk=reminder_id, claim_token=token, delivery_status=DeliveryStatus.PENDING
    )

    def hand_off() -> None:
        if not mine.exclude(phase=Phase.END_OF_DATA).update(phase=Phase.END_OF_DATA):
            raise _LostClaim
        progress.handed_off = True  # from here the "." may be written

    phased = isinstance(backend, PhasedEmailBackend)
    try:
        if phased:
            backend.start_message(hand_off)
            backend.open()  # kept open for the next digest of the batch
        else:
            hand_off()  # a file, console or memory backend: no conversation to follow
        backend.send_messages([message])
    except _LostClaim:
        return Delivery(Outcome.LOST_CLAIM, reminder_id)
    except Exception as exc:
        phase = backend.phase if phased else Phase.DATA
        error = f"{type(exc).__name__} ({Phase(phase).label}): {exc}"[:2000]
        if phased:
            _close_quietly(backend)
        if phase == Phase.END_OF_DATA:
            # No answer after the ".": the server may have accepted it. Never sent again.
            _patiently(lambda: mine.update(last_error=error))
            logger.warning("Reminder %s in doubt: %s", reminder_id, error)
            return Delivery(Outcome.IN_DOUBT, reminder_id, error=error, phase=phase)
        # The "." was never written, so the server discarded the message: put the row back, even
        # at END_OF_DATA (the hand-off write may have committed with its answer lost).
        code = permanent_code(exc)
        refused = ",".join(message.to)[:254] if code else ""
        _patiently(
            lambda: mine.update(
                delivery_status=DeliveryStatus.FAILED,
                phase=phase,
                last_error=error,
                refused_email=refused,
            )
        )
        return Delivery(
            Outcome.FAILED, reminder_id, error=error, phase=phase, permanent=code is not None
        )
    # Recorded `sent` by _confirm_sent, for many digests at once: until then the row is at
    # END_OF_DATA, which no claim takes over, so the delay can never cause a second copy.
    return Delivery(Outcome.SENT, reminder_id, phase=Phase.ANSWERED)


def _confirm_sent(reminder_ids: list[int], token: str) -> None:
    if reminder_ids:
        _patiently(
            lambda: Reminder.objects.filter(
                pk__in=reminder_ids,
                claim_token=token,
                delivery_status=DeliveryStatus.PENDING,
                phase=Phase.END_OF_DATA,
            ).update(
                delivery_status=DeliveryStatus.SENT,
                phase=Phase.ANSWERED,
                sent_at=clock.now(),
                last_error="",
            )
        )


def _close_quietly(backend) -> None:
    try:
        backend.close()
    except Exception:
        backend.connection = None


@dataclass
class _Batch:
    """What step 2 built: the message for each recipient still owed a digest, and the
    commitments it lists (recorded with the claim)."""

    messages: dict[int, EmailMultiAlternatives] = field(default_factory=dict)
    listed: dict[int, list[int]] = field(default_factory=dict)


def _read_commitments(digests: Sequence[Digest]) -> dict[int, Commitment]:
    wanted = {pk for d in digests for pk in (*d.commitment_ids, *d.due_ids)}
    return {
        c.pk: c
        for c in Commitment.objects.filter(pk__in=wanted)
        .only("pk", "title", "status", "owner_country_id", "last_reviewed_at", "target_date")
        .order_by()  # read into a dict: the model's default ordering would only cost a sort
    }


def _still_stale(digest: Digest, by_pk: dict[int, Commitment], now: datetime) -> list[Commitment]:
    return sorted(
        (
            c
            for pk in set(digest.commitment_ids)
            if (c := by_pk.get(pk)) and rules.is_stale(c.status, c.last_reviewed_at, now)
        ),
        key=lambda c: (c.last_reviewed_at, c.pk),
    )


def _still_due(digest: Digest, by_pk: dict[int, Commitment], limit: date) -> list[Commitment]:
    return sorted(
        (
            c
            for pk in set(digest.due_ids)
            if (c := by_pk.get(pk))
            and not rules.is_final(c.status)
            and c.target_date is not None
            and c.target_date <= limit
        ),
        key=lambda c: (c.target_date, c.pk),
    )


def _reached_lately(period: str) -> Exists | Value:
    """Whether the user's digest of another period was handed to the mail server less than
    REMINDER_MIN_GAP ago (by the wall clock): either side of midnight, one waits for a later run.
    An annotation of the eligibility query, so it costs no query of its own."""
    gap = settings.REMINDER_MIN_GAP
    if not gap:
        return Value(False)
    since = clock.now() - timedelta(seconds=gap)
    return Exists(
        Reminder.objects.filter(recipient_id=OuterRef("pk"))
        .exclude(period=period)
        .filter(
            Q(delivery_status=DeliveryStatus.SENT, sent_at__gt=since)
            | Q(
                delivery_status=DeliveryStatus.PENDING,
                phase=Phase.END_OF_DATA,
                claimed_at__gt=since,
            )
        )
    )


def _recheck_and_build(
    digests: Sequence[Digest], period: str, now: datetime
) -> tuple[dict[int, Delivery], _Batch]:
    """Steps 1 and 2: who is still owed which lines at `now`, and their messages, built before
    anything is claimed."""
    results: dict[int, Delivery] = {}
    batch = _Batch()
    users = {
        u.pk: u
        for u in eligible_recipients([d.recipient_id for d in digests], now).annotate(
            reached_lately=_reached_lately(period)
        )
    }
    by_pk = _read_commitments(digests)
    due_limit = due_by(now)
    for digest in digests:
        user = users.get(digest.recipient_id)
        if user is None:
            results[digest.recipient_id] = Delivery(Outcome.NOT_ELIGIBLE)
            continue
        if user.reached_lately:
            results[digest.recipient_id] = Delivery(Outcome.TOO_SOON)
            continue
        stale = _still_stale(digest, by_pk, now)
        due = _still_due(digest, by_pk, due_limit)
        if not stale and not due:
            results[digest.recipient_id] = Delivery(Outcome.NOTHING_STALE)
            continue
        batch.messages[digest.recipient_id] = build_digest_email(
            user, stale, period=period, now=now, due=due
        )
        batch.listed[digest.recipient_id] = [c.pk for c in (*stale, *due)]
    return results, batch


def _send_batch(
    messages: dict[int, EmailMultiAlternatives],
    claimed: dict[int, tuple[int, str]],
    backend=None,
    progress: _Progress | None = None,
) -> dict[int, Delivery]:
    """Steps 4 and 5 for the digests we claimed, over one SMTP connection (ours unless given)."""
    results: dict[int, Delivery] = {}
    own_backend = backend is None
    backend = backend or open_connection()
    to_confirm: list[int] = []
    try:
        for recipient_id, message in messages.items():
            if recipient_id not in claimed:
                continue
            reminder_id, token = claimed[recipient_id]
            result = _send_claimed(reminder_id, token, message, backend, progress)
            results[recipient_id] = result
            if result.outcome is Outcome.SENT:
                to_confirm.append(reminder_id)
            if len(to_confirm) >= CONFIRM_EVERY:
                _confirm_sent(to_confirm, token)
                to_confirm = []
    finally:
        if own_backend:
            _close_quietly(backend)
        if to_confirm:
            _confirm_sent(to_confirm, next(iter(claimed.values()))[1])
    return results


def deliver_digests(
    digests: Sequence[Digest], *, now: datetime, backend=None, abandoned: Sequence[str] = ()
) -> dict[int, Delivery]:
    """Send each of `digests` (all of one period) at most once, whoever else is trying: the
    protocol in the module's docstring, one call a step.

    `now` decides (eligibility, staleness, due dates, the email's "N days ago"); claim leases are
    measured on the wall clock, because they are about whether a worker is still alive.
    Returns one Delivery per recipient; failures are recorded `failed` and returned, not raised.
    A database error while claims are held and before any "." was written is raised as
    ClaimAbandoned with the attempt's token, for the retry to pass back as `abandoned`.
    """
    if not digests:
        return {}
    (period,) = {d.period for d in digests}
    results, batch = _recheck_and_build(digests, period, now)  # steps 1 and 2
    token, progress = uuid.uuid4().hex, _Progress()
    try:
        claimed = claim_many(
            period, batch.listed, stamp=clock.now(), token=token, abandoned=abandoned
        )  # step 3
        results.update(_send_batch(batch.messages, claimed, backend, progress))  # steps 4, 5
    except DATABASE_ERRORS as exc:
        if progress.handed_off or isinstance(exc, ClaimAbandoned):
            raise
        connection.close()
        raise ClaimAbandoned(token) from exc
    held = [r for r in batch.messages if r not in claimed]  # step 6
    if held:
        results.update(_held_outcomes(period, held, clock.now()))
    return results


def deliver_digest(digest: Digest, *, now: datetime, abandoned: Sequence[str] = ()) -> Delivery:
    """One digest (the Celery send task). Raises DeliveryFailed when the send failed for a
    passing reason (recorded `failed`, never `sent`), so that the task retries it; a permanent
    refusal is returned, recorded, and left to the period's later runs."""
    delivery = deliver_digests([digest], now=now, abandoned=abandoned)[digest.recipient_id]
    if delivery.outcome is Outcome.FAILED and not delivery.permanent:
        raise DeliveryFailed(delivery.error)
    return delivery


@dataclass
class RunReport:
    plan: Plan
    deliveries: dict[int, Delivery] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return self.plan.period

    @property
    def digests(self) -> list[Digest]:
        return self.plan.digests

    @property
    def failures(self) -> dict[int, str]:
        return {r: d.error for r, d in self.deliveries.items() if d.outcome is Outcome.FAILED}


def run_once(now: datetime, *, dry_run: bool = False) -> RunReport:
    """The whole job in this process, without a broker: plan, then deliver in batches of
    REMINDER_BATCH_SIZE over one mail connection.

    Used by `send_reminders` and the measurement; the beat task enqueues per recipient instead.
    """
    plan = plan_digests(now, clock_now=clock.now(), count_catch_ups=not dry_run)
    report = RunReport(plan)
    if dry_run:
        return report
    size = settings.REMINDER_BATCH_SIZE
    backend = open_connection()
    try:
        for start in range(0, len(plan.digests), size):
            batch = plan.digests[start : start + size]
            report.deliveries.update(deliver_digests(batch, now=now, backend=backend))
    finally:
        _close_quietly(backend)
    return report
