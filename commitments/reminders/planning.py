"""Planning: the reminder period, and who is owed which digest in it.

`plan_digests` only reads (apart from counting catch-ups): it walks the stale commitments (the one
staleness rule, `Commitment.objects.stale`) and the open commitments whose target date is near or
past, in keyset-paginated batches, groups them per recipient, and keeps the recipients the period
still owes a digest. Run it as often as you like: every run plans only what is still owed, which
is what makes the hourly catch-up runs safe.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Least

from ..clock import local_date
from ..models import Commitment, CountryMembership
from .models import Reminder

# Period keys of N-day periods count from this Monday, so 7-day periods run Monday to Sunday.
PERIOD_EPOCH = date(2000, 1, 3)

DeliveryStatus = Reminder.DeliveryStatus
Phase = Reminder.Phase
# A passing failure is retried by every run of its period (every few seconds in tests and demos):
# its count stops at the small integer column's limit.
CATCH_UPS_MAX = 32767


def reminder_today(now: datetime) -> date:
    return local_date(now, settings.REMINDER_TIMEZONE)


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


def due_by(now: datetime) -> date:
    """Open commitments with a target date on or before this day are "due" in a digest."""
    return reminder_today(now) + timedelta(days=settings.REMINDER_DUE_WITHIN_DAYS)


def due_commitments(now: datetime) -> QuerySet[Commitment]:
    return Commitment.objects.open().filter(target_date__lte=due_by(now))


@dataclass(frozen=True)
class Digest:
    recipient_id: int
    period: str
    commitment_ids: tuple[int, ...]  # stale
    due_ids: tuple[int, ...] = ()  # target date within REMINDER_DUE_WITHIN_DAYS, or past


@dataclass
class Plan:
    period: str
    digests: list[Digest] = field(default_factory=list)
    # Recipients with something to report whom this period has already reached (sent, or in
    # the hands of the mail server), or whose failed digest used up its catch-up retries.
    already_reminded: int = 0
    gave_up: int = 0


# A snooze holds digests back through its last day, in SQL (eligible_recipients) and in Python
# (the preference page), side by side so that the two cannot drift apart.
def snooze_running(today: date) -> Q:
    return Q(reminder_preference__snoozed_until__gte=today)


def is_snooze_running(snoozed_until: date | None, today: date) -> bool:
    return snoozed_until is not None and snoozed_until >= today


def eligible_recipients(user_ids: Iterable[int], now: datetime):
    """Users among `user_ids` who may get a digest: active, with an email, not opted out and not
    snoozed through the reminder day of `now`."""
    today = reminder_today(now)
    return (
        get_user_model()
        .objects.filter(pk__in=list(user_ids), is_active=True)
        .exclude(email="")
        .exclude(reminder_preference__opted_out=True)
        .exclude(snooze_running(today))
        # The digest is written in the profile's language, else the admin's last, else the
        # country's: read them with the users, not per user.
        .select_related("staff_profile")
        .prefetch_related("country_memberships")
    )


def _batches(queryset: QuerySet[Commitment], batch_size: int) -> Iterator[list[tuple[int, str]]]:
    """(id, owner country) of the commitments, a batch at a time, by primary key (keyset
    pagination: each batch is one indexed query however deep into the table it is)."""
    last_pk = 0
    while True:
        batch = list(
            queryset.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "owner_country_id")[:batch_size]
        )
        if not batch:
            return
        yield batch
        last_pk = batch[-1][0]


def _group_by_recipient(
    queryset: QuerySet[Commitment], coordinators: dict[str, list[int]], batch_size: int
) -> dict[int, list[int]]:
    """A commitment goes to its active responsible users; one with none goes to its owner
    country's coordinators."""
    responsible_model = Commitment.responsible_users.through
    by_recipient: dict[int, list[int]] = defaultdict(list)
    for batch in _batches(queryset, batch_size):
        responsible: dict[int, list[int]] = defaultdict(list)
        for commitment_id, user_id in responsible_model.objects.filter(
            commitment_id__in=[pk for pk, _ in batch], user__is_active=True
        ).values_list("commitment_id", "user_id"):
            responsible[commitment_id].append(user_id)
        for pk, owner_country_id in batch:
            for user_id in responsible.get(pk) or coordinators.get(owner_country_id, ()):
                by_recipient[user_id].append(pk)
    return by_recipient


def still_owed(now: datetime) -> Q:
    """Reminder rows of a period that a later run must try again (the rule of the catch-up).

    A `failed` row, for as long as its period lasts (a passing failure has the period's time as
    its budget, not a number of runs), unless the server refused its recipient's current address
    for good (a 5xx) and REMINDER_CATCH_UP_RETRIES later runs have tried it already; and a
    `pending` row whose worker died before the end of the message (its lease has run out). Not a
    `sent` row, not a row that reached the end of the message (in doubt: never sent again), not a
    live claim.
    """
    lease = timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    refused_for_good = Q(
        catch_ups__gte=settings.REMINDER_CATCH_UP_RETRIES,
        refused_email=F("recipient__email"),
    ) & ~Q(refused_email="")
    return (Q(delivery_status=DeliveryStatus.FAILED) & ~refused_for_good) | (
        Q(delivery_status=DeliveryStatus.PENDING, claimed_at__lt=now - lease)
        & ~Q(phase=Phase.END_OF_DATA)
    )


def period_end(now: datetime) -> datetime:
    """The moment the period `now` falls in ends (midnight in REMINDER_TIMEZONE): a digest of a
    period is never sent after it, when the next period's digest says the same."""
    today = reminder_today(now)
    days = settings.REMINDER_PERIOD_DAYS
    start = PERIOD_EPOCH + timedelta(days=(today - PERIOD_EPOCH).days // days * days)
    end = start + timedelta(days=days)
    return datetime.combine(end, time(0), tzinfo=ZoneInfo(settings.REMINDER_TIMEZONE))


def plan_digests(
    now: datetime,
    *,
    batch_size: int | None = None,
    clock_now: datetime | None = None,
    count_catch_ups: bool = True,
) -> Plan:
    """One Digest per recipient the period still owes at `now`.

    Opted-out or snoozed users are skipped, not replaced: their choice does not pass their
    reminders to someone else. `clock_now` is the wall clock that claim leases are measured
    against (default `now`). With `count_catch_ups`, failed digests planned again have their
    `catch_ups` counted (up to the column's limit), which bounds how often later runs retry a
    digest the server refused for good.

    Queries: 1 for coordinators, 2 per batch of stale or due commitments, 2 per batch of
    recipients, 1 to count catch-ups, whatever the number of rows.
    """
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    clock_now = clock_now or now
    period = period_key(now)
    coordinators: dict[str, list[int]] = defaultdict(list)
    for country_id, user_id in CountryMembership.objects.filter(
        is_coordinator=True, user__is_active=True
    ).values_list("country_id", "user_id"):
        coordinators[country_id].append(user_id)

    stale = _group_by_recipient(Commitment.objects.stale(now), coordinators, batch_size)
    due = _group_by_recipient(due_commitments(now), coordinators, batch_size)

    plan = Plan(period)
    catch_up_ids: list[int] = []
    recipient_ids = sorted(stale.keys() | due.keys())
    owed_rule = still_owed(clock_now)
    for start in range(0, len(recipient_ids), batch_size):
        chunk = recipient_ids[start : start + batch_size]
        eligible = set(eligible_recipients(chunk, now).values_list("pk", flat=True))
        rows = Reminder.objects.filter(period=period, recipient_id__in=eligible)
        existing = dict(rows.values_list("recipient_id", "delivery_status"))
        owed = set(rows.filter(owed_rule).values_list("recipient_id", flat=True))
        for user_id in chunk:
            if user_id not in eligible:
                continue
            if user_id in existing and user_id not in owed:
                if existing[user_id] == DeliveryStatus.FAILED:
                    plan.gave_up += 1
                elif existing[user_id] != DeliveryStatus.PENDING:
                    plan.already_reminded += 1
                continue
            if existing.get(user_id) == DeliveryStatus.FAILED:
                catch_up_ids.append(user_id)
            plan.digests.append(
                Digest(user_id, period, tuple(stale.get(user_id, ())), tuple(due.get(user_id, ())))
            )
    if count_catch_ups and catch_up_ids:
        Reminder.objects.filter(
            period=period, recipient_id__in=catch_up_ids, delivery_status=DeliveryStatus.FAILED
        ).update(catch_ups=Least(F("catch_ups") + 1, CATCH_UPS_MAX))
    return plan
