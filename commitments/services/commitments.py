"""Writes to commitments. Each service validates, saves and records history in one transaction.

Each also writes the change's event to the outbox (`events.outbox.record`) in that transaction, so
the change feed and the webhooks see exactly the changes that committed.

Admin, API, management commands and Celery tasks call these; none of them save a Commitment,
Evidence or StatusChange on their own. Each names its `actor`: a user (checked by `access`, and
refused there when not allowed) or a SystemActor (recorded by name in history); never None.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .. import access, clock, messages, rules, selectors
from ..access import EditNotAllowed  # noqa: F401 (callers catch services.EditNotAllowed)
from ..actors import Actor
from ..events import outbox
from ..events.models import EventType
from ..fields import EDITABLE, EDITABLE_RELATIONS, SOURCE_ALIASES
from ..models import (
    Commitment,
    Country,
    Evidence,
    InstrumentParty,
    PartyPosition,
    ProgressObservation,
    Review,
    Source,
    StatusChange,
    TargetDateChange,
)

if TYPE_CHECKING:
    from ..actors import ActorLike

# What callers may change on a commitment, declared in `fields` (as is EDITABLE_RELATIONS). Status
# is not here: it changes only through commitment_change_status, with a note.
EDITABLE_FIELDS: tuple[str, ...] = EDITABLE
COUNTRY_FIELDS = frozenset({"owner_country", "partner_countries"})


def version_conflict(current_version: int) -> Promise:
    return format_lazy(
        _("The commitment has changed since it was read (now version {version})."),
        version=current_version,
    )


class VersionConflict(Exception):
    """The commitment changed since the caller read it (an If-Match that no longer matches)."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(version_conflict(current_version))


# The advisory lock's class: any constant no other lock in the project uses.
_COMMITMENT_LOCK_CLASS = 7401


def _lock(commitment: Commitment, expected_version: int | None) -> Commitment:
    """The commitment's row, locked for this transaction, at the version the caller expects.

    On PostgreSQL the event feed is in transaction-id order, so two writers of one commitment
    must get their transaction ids in the order they hold its lock. A row lock cannot promise
    that: taking it assigns the id first, and two writers can get their ids in one order and the
    lock in the other (version 5 would then reach the feed before version 4). An advisory lock
    assigns no id: the second writer waits there, id-less, until the first has committed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_COMMITMENT_LOCK_CLASS, commitment.pk & 0x7FFFFFFF],
            )
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(locked.version)
    return locked


def _save_next_version(locked: Commitment, commitment: Commitment, *changed: str) -> None:
    """Save `locked` (its `changed` fields) as the commitment's next version, and show what the
    interfaces read back (status, review time, version) on the caller's copy too."""
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    for field in ("status", "last_reviewed_at", "version", "updated_at"):
        setattr(commitment, field, getattr(locked, field))


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [messages.NOTE_REQUIRED]})
    return note


def _refuse_unknown(names: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = set(names) - set(allowed)
    if unknown:
        raise ValidationError({name: [messages.UNKNOWN_FIELD] for name in sorted(unknown)})


def _source_columns(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with each translated field's bare name (`title`) replaced by its English column:
    the bare name would otherwise write the active language's column."""
    if not SOURCE_ALIASES.keys() & data.keys():
        return data
    result = dict(data)
    for name, column in SOURCE_ALIASES.items():
        if name in result:
            if column in result:
                message = format_lazy(messages.GIVEN_TWICE, name=name, column=column)
                raise ValidationError({name: [message]})
            result[column] = result.pop(name)
    return result


def _code(country: Country | str) -> str:
    return country.code if isinstance(country, Country) else country


def _check_countries(owner_code: str, partner_codes: list[str]) -> None:
    errors = access.country_errors(owner_code, partner_codes)
    if errors:
        raise ValidationError({"partner_countries": errors})


@transaction.atomic
def commitment_create(
    *,
    actor: ActorLike,
    partner_countries: Iterable[Country | str] = (),
    responsible_users: Iterable = (),
    note: str = "",
    now: datetime | None = None,
    **fields: Any,
) -> Commitment:
    """Create a commitment and the first row of its status history. The owner, like the
    partners, is a Country or its code."""
    actor = Actor.of(actor)
    now = now or clock.now()
    _refuse_unknown(fields, {*EDITABLE_FIELDS, *SOURCE_ALIASES, "status"})
    fields = _source_columns(fields)
    if isinstance(fields.get("owner_country"), str):
        fields["owner_country_id"] = fields.pop("owner_country")
    commitment = Commitment(last_reviewed_at=now, **fields)
    commitment.original_target_date = commitment.target_date
    access.may_create(actor, commitment.owner_country_id).require()
    partner_codes = [_code(c) for c in partner_countries]
    _check_countries(commitment.owner_country_id, partner_codes)
    commitment.full_clean()
    commitment.save()
    commitment.partner_countries.set(partner_codes)
    commitment.responsible_users.set(list(responsible_users))
    StatusChange.objects.create(
        commitment=commitment,
        old_status="",
        new_status=commitment.status,
        changed_at=now,
        note=note or str(messages.RECORDED),
        **actor.history("changed_by"),
    )
    outbox.record(
        EventType.CREATED,
        commitment,
        actor,
        partners=partner_codes,
        data={"status": commitment.status},
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    actor: ActorLike,
    data: dict[str, Any],
    expected_version: int | None = None,
    target_date_reason: str = "",
    target_date_source: Source | None = None,
    now: datetime | None = None,
) -> Commitment:
    """Change descriptive fields; status changes go through commitment_change_status.

    Moving a target date that was set needs `target_date_reason`: the move is recorded
    (TargetDateChange: old and new date, who, when, why, source), the first date is kept as
    `original_target_date`, and a later date counts as a postponement. Setting a first date needs
    no reason.

    A translated field is written per language (`title_ru`); its bare name (`title`) is the
    English text, whatever language is active.

    Changing the owner or the partners is a separate permission (`access.may_change_countries`),
    asked only when the data really changes them, so a partner may send them back unchanged (as
    a PUT does); countries that are sent are always checked (no owner among the partners, no
    partner twice).
    """
    actor = Actor.of(actor)
    data = _editable_data(data)
    access.may_edit(actor, commitment).require()
    locked = _lock(commitment, expected_version)
    before = {name: _comparable(locked, name) for name in data}
    partners_to_set, partners_after = _check_country_change(actor, locked, data)
    date_change = _apply_update(
        locked,
        data,
        actor=actor,
        target_date_reason=target_date_reason,
        target_date_source=target_date_source,
        now=now,
    )
    _save_update(locked, data, partners_to_set)
    changed = [name for name in data if _comparable(locked, name) != before[name]]
    _record_update_events(
        locked, actor, partners=partners_after, changed=changed, date_change=date_change
    )
    return locked


def _editable_data(data: dict[str, Any]) -> dict[str, Any]:
    """`data` checked to name only editable fields, translated ones by their English column."""
    if "status" in data:
        raise ValidationError({"status": [messages.STATUS_NEEDS_A_CHANGE]})
    _refuse_unknown(data, {*EDITABLE_FIELDS, *SOURCE_ALIASES})
    return _source_columns(data)


def _check_country_change(
    actor: Actor, locked: Commitment, data: dict[str, Any]
) -> tuple[list[str] | None, Collection[str] | None]:
    """Check the owner and partners `data` sends, and the right to change them when they change.

    Returns the partners to store (None when not sent) and the partners after the update (None
    when `data` sends no country: they are not read then).
    """
    if not COUNTRY_FIELDS & set(data):
        return None, None
    current_partners = set(locked.partner_countries.values_list("code", flat=True))
    owner_code = _code(data.get("owner_country", locked.owner_country_id))
    partners = data.get("partner_countries")
    partner_codes = list(current_partners) if partners is None else [_code(c) for c in partners]
    if owner_code != locked.owner_country_id or set(partner_codes) != current_partners:
        access.may_change_countries(actor, locked, owner_code).require()
    _check_countries(owner_code, partner_codes)
    if partners is None:
        return None, current_partners
    return partner_codes, partner_codes


def _apply_update(
    locked: Commitment,
    data: dict[str, Any],
    *,
    actor: Actor,
    target_date_reason: str,
    target_date_source: Source | None,
    now: datetime | None,
) -> TargetDateChange | None:
    """Set `data`'s fields on `locked` (not yet saved; relations are stored after the save) and
    validate it; returns the move of the target date it records, if any."""
    old_date = locked.target_date
    for name, value in data.items():
        if name not in EDITABLE_RELATIONS:
            setattr(locked, name, value)
    locked.full_clean()
    date_change = _target_date_change(
        locked, old_date, actor, target_date_reason, target_date_source, now or clock.now()
    )
    if {"target_date", "target_amount"} & set(data):
        locked.progress = selectors.commitment_progress(locked)
    return date_change


def _save_update(locked: Commitment, data: dict[str, Any], partners: list[str] | None) -> None:
    """Save `locked` as the next version, with the relations `data` sends."""
    locked.version += 1
    locked.save()
    if partners is not None:
        locked.partner_countries.set(partners)
    if "responsible_users" in data:
        locked.responsible_users.set(list(data["responsible_users"]))


def _record_update_events(
    locked: Commitment,
    actor: Actor,
    *,
    partners: Collection[str] | None,
    changed: list[str],
    date_change: TargetDateChange | None,
) -> None:
    """The update's event, and the target date's when it moved."""
    if partners is None:
        # Read once for both events, rather than by each outbox.record.
        partners = list(locked.partner_countries.values_list("code", flat=True))
    outbox.record(
        EventType.UPDATED,
        locked,
        actor,
        partners=partners,
        data={"changed_fields": changed},
    )
    if date_change is not None:
        outbox.record(
            EventType.TARGET_DATE_CHANGED,
            locked,
            actor,
            partners=partners,
            data=_target_date_data(locked, date_change),
        )


def _target_date_data(locked: Commitment, change: TargetDateChange) -> dict[str, Any]:
    return {
        "old_date": _iso(change.old_date),
        "new_date": _iso(change.new_date),
        "postponement": change.is_postponement,
        "postponements": locked.postponements,
        "original_target_date": _iso(locked.original_target_date),
        "reason": change.reason,
        "source_id": change.source_id,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _target_date_change(
    locked: Commitment,
    old_date: date | None,
    actor: Actor,
    reason: str,
    source: Source | None,
    now: datetime,
) -> TargetDateChange | None:
    """Record a move of a set target date (on `locked`, not yet saved); None when none moved."""
    new_date = locked.target_date
    if new_date == old_date:
        return None
    if old_date is None and locked.original_target_date is None:
        locked.original_target_date = new_date  # the first date: nothing moved
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"target_date_reason": [messages.TARGET_DATE_REASON_REQUIRED]})
    if locked.original_target_date is None:
        locked.original_target_date = old_date
    postponed = old_date is not None and new_date is not None and new_date > old_date
    if postponed:
        locked.postponements += 1
    return TargetDateChange.objects.create(
        commitment=locked,
        old_date=old_date,
        new_date=new_date,
        is_postponement=postponed,
        reason=reason,
        source=source,
        changed_at=now,
        **actor.history("changed_by"),
    )


def _comparable(commitment: Commitment, name: str) -> Any:
    """A field's value in a form that compares equal when unchanged (ids for relations)."""
    if name in EDITABLE_RELATIONS:
        return set(getattr(commitment, name).values_list("pk", flat=True))
    field = commitment._meta.get_field(name)
    return getattr(commitment, field.attname)


@transaction.atomic
def commitment_change_status(
    *,
    commitment: Commitment,
    new_status: str,
    actor: ActorLike,
    note: str,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> StatusChange:
    """Move a commitment to `new_status` if the rules allow it, recording who, when and why.

    A forbidden move raises rules.TransitionNotAllowed and writes nothing. The move resets the
    staleness clock.
    """
    actor = Actor.of(actor)
    now = now or clock.now()
    access.may_change_status(actor, commitment).require()
    note = _require_note(note)
    locked = _lock(commitment, expected_version)
    rules.check_transition(locked.status, new_status)
    change = StatusChange.objects.create(
        commitment=locked,
        old_status=locked.status,
        new_status=new_status,
        changed_at=now,
        note=note,
        **actor.history("changed_by"),
    )
    locked.status = new_status
    locked.last_reviewed_at = now
    _save_next_version(locked, commitment, "status", "last_reviewed_at")
    outbox.record(
        EventType.STATUS_CHANGED,
        locked,
        actor,
        data={"old_status": change.old_status, "new_status": new_status, "note": note},
    )
    return change


@transaction.atomic
def commitment_mark_reviewed(
    *, commitment: Commitment, actor: ActorLike, note: str = "", now: datetime | None = None
) -> Review:
    """Record that the commitment is current as it stands; resets the staleness clock."""
    actor = Actor.of(actor)
    now = now or clock.now()
    access.may_mark_reviewed(actor, commitment).require()
    locked = _lock(commitment, None)
    review = Review.objects.create(
        commitment=locked,
        reviewed_at=now,
        note=(note or "").strip(),
        **actor.history("reviewed_by"),
    )
    locked.last_reviewed_at = now
    _save_next_version(locked, commitment, "last_reviewed_at")
    outbox.record(EventType.REVIEWED, locked, actor, data={"review_id": review.pk})
    return review


@transaction.atomic
def evidence_add(
    *,
    commitment: Commitment,
    actor: ActorLike,
    source: Source | None = None,
    quote: str = "",
    url: str = "",
    note: str = "",
    observed_on: date | None = None,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Attach evidence (a verbatim quote from a source and/or an http(s) URL); resets staleness."""
    actor = Actor.of(actor)
    now = now or clock.now()
    access.may_add_evidence(actor, commitment).require()
    locked = _lock(commitment, expected_version)
    evidence = Evidence(
        commitment=locked,
        source=source,
        quote=quote or "",
        url=url or "",
        note=note or "",
        observed_on=observed_on or timezone.localdate(now),
        **actor.history("added_by"),
    )
    evidence.full_clean()
    evidence.save()
    locked.last_reviewed_at = now
    _save_next_version(locked, commitment, "last_reviewed_at")
    outbox.record(
        EventType.EVIDENCE_ADDED,
        locked,
        actor,
        data={"evidence_id": evidence.pk, "source_id": evidence.source_id, "url": evidence.url},
    )
    return evidence


@transaction.atomic
def observation_add(*, observation: ProgressObservation, actor: ActorLike) -> ProgressObservation:
    """Record a progress observation (a figure for a period, backed by evidence) and bump the
    commitment's version, so readers and the change feed see that it changed."""
    actor = Actor.of(actor)
    commitment = observation.commitment
    access.may_edit(actor, commitment).require()
    locked = _lock(commitment, None)
    observation.commitment = locked
    observation.full_clean()
    observation.save()
    locked.progress = selectors.commitment_progress(locked)
    _save_next_version(locked, commitment, "progress")
    outbox.record(
        EventType.OBSERVATION_ADDED,
        locked,
        actor,
        data={
            "observation_id": observation.pk,
            "value": str(observation.value),
            "unit": observation.unit,
            "period_start": observation.period_start.isoformat(),
            "period_end": observation.period_end.isoformat(),
            "reported_by": observation.reported_by_id,
            "progress": locked.progress,
        },
    )
    return observation


@transaction.atomic
def observations_correct(
    *,
    commitment: Commitment,
    actor: ActorLike,
    changed: Iterable[ProgressObservation] = (),
    removed: Iterable[ProgressObservation] = (),
) -> None:
    """Save corrected observations of the commitment and delete removed ones; the commitment's
    stored progress is what its remaining figures give, so it is worked out again and the version
    bumped, as for a new observation."""
    actor = Actor.of(actor)
    access.may_edit(actor, commitment).require()
    locked = _lock(commitment, None)
    for observation in removed:
        observation.delete()
    for observation in changed:
        observation.full_clean()
        observation.save()
    locked.progress = selectors.commitment_progress(locked)
    _save_next_version(locked, commitment, "progress")
    outbox.record(EventType.UPDATED, locked, actor, data={"changed_fields": ["progress"]})


def _party_codes(commitment: Commitment) -> list[str]:
    return [commitment.owner_country_id, *commitment.partner_countries.values_list("pk", flat=True)]


def _require_party(code: str, parties: list[str]) -> None:
    if code not in parties:
        raise ValidationError({"country": [messages.NOT_A_PARTY]})


def _party_row(model: type[PartyPosition | InstrumentParty], commitment: Commitment, code: str):
    """The country's row on this commitment (one per country), or a new unsaved one."""
    row = model.objects.filter(commitment=commitment, country_id=code).first()
    return row or model(commitment=commitment, country_id=code)


def _save_party_row(
    row: PartyPosition | InstrumentParty,
    *,
    actor: Actor,
    note: str,
    now: datetime | None,
    **values: Any,
) -> None:
    """Replace a party's row with what it now reports, recording who and when."""
    for name, value in values.items():
        setattr(row, name, value)
    row.note = (note or "").strip()
    row.recorded_at = now or clock.now()
    for name, value in actor.history("recorded_by").items():
        setattr(row, name, value)
    row.full_clean(validate_unique=False)
    row.save()


@transaction.atomic
def party_position_record(
    *,
    commitment: Commitment,
    actor: ActorLike,
    country: Country | str,
    status: str,
    reported_on: date,
    source: Source | None = None,
    note: str = "",
    now: datetime | None = None,
    expected_version: int | None = None,
) -> PartyPosition:
    """Record (or replace) a party country's own account of the status, as its government
    reports it, and flag the commitment when the parties' accounts differ."""
    actor = Actor.of(actor)
    code = _code(country)
    access.may_record_for_party(actor, commitment, code).require()
    locked = _lock(commitment, expected_version)
    parties = _party_codes(locked)
    _require_party(code, parties)
    position = _party_row(PartyPosition, locked, code)
    old_status = position.status
    _save_party_row(
        position,
        actor=actor,
        note=note,
        now=now,
        status=status,
        reported_on=reported_on,
        source=source,
    )
    statuses = set(PartyPosition.objects.filter(commitment=locked).values_list("status", flat=True))
    locked.positions_diverge = len(statuses) > 1
    _save_next_version(locked, commitment, "positions_diverge")
    outbox.record(
        EventType.PARTY_POSITION_RECORDED,
        locked,
        actor,
        partners=[c for c in parties if c != locked.owner_country_id],
        data={
            "country": code,
            "old_status": old_status,
            "status": status,
            "reported_on": reported_on.isoformat(),
            "source_id": position.source_id,
            "positions_diverge": locked.positions_diverge,
        },
    )
    return position


@transaction.atomic
def instrument_dates_record(
    *,
    commitment: Commitment,
    actor: ActorLike,
    country: Country | str,
    signed_on: date | None = None,
    ratified_on: date | None = None,
    in_force_on: date | None = None,
    evidence: Evidence | None = None,
    note: str = "",
    now: datetime | None = None,
    expected_version: int | None = None,
) -> InstrumentParty:
    """Record (or replace) one party's signature, ratification and entry-into-force dates of a
    legal instrument. A status move they suggest (rules.suggested_status) is proposed, never made.
    """
    actor = Actor.of(actor)
    code = _code(country)
    access.may_record_for_party(actor, commitment, code).require()
    locked = _lock(commitment, expected_version)
    if not locked.instrument_type:
        raise ValidationError({"instrument_type": [messages.NOT_AN_INSTRUMENT]})
    parties = _party_codes(locked)
    _require_party(code, parties)
    row = _party_row(InstrumentParty, locked, code)
    _save_party_row(
        row,
        actor=actor,
        note=note,
        now=now,
        signed_on=signed_on,
        ratified_on=ratified_on,
        in_force_on=in_force_on,
        evidence=evidence,
    )
    _save_next_version(locked, commitment)
    recorded = list(
        InstrumentParty.objects.filter(commitment=locked).values(*rules.INSTRUMENT_STEPS)
    )
    suggestion = rules.suggested_status(
        locked.status, locked.instrument_type, recorded, len(parties)
    )
    outbox.record(
        EventType.INSTRUMENT_DATES_RECORDED,
        locked,
        actor,
        partners=[c for c in parties if c != locked.owner_country_id],
        data={
            "country": code,
            "signed_on": _iso(signed_on),
            "ratified_on": _iso(ratified_on),
            "in_force_on": _iso(in_force_on),
            "evidence_id": row.evidence_id,
            "suggested_status": suggestion,
        },
    )
    return row


@transaction.atomic
def commitment_delete(*, commitment: Commitment, actor: ActorLike) -> None:
    actor = Actor.of(actor)
    access.may_delete(actor, commitment).require()
    locked = _lock(commitment, None)
    # The event is written first: it keeps the slug and countries the deletion removes.
    outbox.record(EventType.DELETED, locked, actor)
    locked.delete()
