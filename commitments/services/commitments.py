"""A commitment's own writes: create, update (with its target date's moves), change status, mark
reviewed, delete; and the slug a new commitment gets when none is given."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy, slugify

from .. import access, clock, messages, rules, selectors
from ..actors import Actor
from ..changes import EventType, announce
from ..fields import EDITABLE, EDITABLE_RELATIONS, SOURCE_ALIASES
from ..models import Commitment, Country, Review, Source, StatusChange, TargetDateChange
from ..transliteration import transliterate
from .base import code, lock, save_next_version
from .deadlines import target_date_change, target_date_event_data

if TYPE_CHECKING:
    from ..actors import ActorLike

# What callers may change on a commitment, declared in `fields` (as is EDITABLE_RELATIONS). Status
# is not here: it changes only through commitment_change_status, with a note.
EDITABLE_FIELDS: tuple[str, ...] = EDITABLE
COUNTRY_FIELDS = frozenset({"owner_country", "partner_countries"})


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
    history: Sequence[RecordedStatusChange] = (),
    date_history: Sequence[RecordedDateChange] = (),
    **fields: Any,
) -> Commitment:
    """Create a commitment and the first row of its status history. The owner, like the
    partners, is a Country or its code.

    A commitment kept elsewhere first (an imported data package) brings its history: `history`,
    its status changes as recorded there (each move checked by the status rules, the last
    reaching the commitment's status), replaces the first row; `date_history`, its target date's
    moves, gives the original date and the postponements. Both keep their public identifiers and
    times; the creator is recorded as who wrote them here.
    """
    actor = Actor.of(actor)
    now = now or clock.now()
    _refuse_unknown(fields, {*EDITABLE_FIELDS, *SOURCE_ALIASES, "status"})
    fields = _source_columns(fields)
    if isinstance(fields.get("owner_country"), str):
        fields["owner_country_id"] = fields.pop("owner_country")
    commitment = Commitment(last_reviewed_at=now, **fields)
    commitment.original_target_date = commitment.target_date
    access.may_create(actor, commitment.owner_country_id).require()
    partner_codes = [code(c) for c in partner_countries]
    _check_countries(commitment.owner_country_id, partner_codes)
    commitment.full_clean()
    commitment.save()
    commitment.partner_countries.set(partner_codes)
    commitment.responsible_users.set(list(responsible_users))
    if history or date_history:
        _record_history(commitment, actor, history, date_history)
    else:
        StatusChange.objects.create(
            commitment=commitment,
            old_status="",
            new_status=commitment.status,
            changed_at=now,
            note=note or messages.NOTE_RECORDED,
            **actor.history("changed_by"),
        )
    announce(
        EventType.CREATED,
        commitment,
        actor,
        partners=partner_codes,
        data={"status": commitment.status},
    )
    return commitment


@dataclass(frozen=True)
class RecordedStatusChange:
    """A status change as another record kept it (`commitment_create(history=...)`)."""

    uid: UUID
    old_status: str
    new_status: str
    changed_at: datetime
    note: str


@dataclass(frozen=True)
class RecordedDateChange:
    """A target date's move as another record kept it (`commitment_create(date_history=...)`)."""

    uid: UUID
    old_date: date | None
    new_date: date | None
    is_postponement: bool
    reason: str
    source: Source | None
    changed_at: datetime


def _record_history(
    commitment: Commitment,
    actor: Actor,
    history: Sequence[RecordedStatusChange],
    date_history: Sequence[RecordedDateChange],
) -> None:
    """Store a new commitment's history as recorded elsewhere, checked as the services would
    have checked each step: the status moves follow the rules from the record's start to its
    status now; the first target date is the original, each later date a postponement."""
    previous = ""
    for step in history:
        if step.old_status != previous:
            raise ValidationError({"status": [messages.HISTORY_BROKEN]})
        if previous:
            rules.check_transition(previous, step.new_status)
        previous = step.new_status
    if history and previous != commitment.status:
        raise ValidationError({"status": [messages.HISTORY_ENDS_ELSEWHERE]})
    if not history:
        note = messages.NOTE_RECORDED
        history = [
            RecordedStatusChange(None, "", commitment.status, commitment.last_reviewed_at, note)
        ]
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                **({"uid": step.uid} if step.uid else {}),
                commitment=commitment,
                old_status=step.old_status,
                new_status=step.new_status,
                changed_at=step.changed_at,
                note=step.note,
                **actor.history("changed_by"),
            )
            for step in history
        ]
    )
    if date_history:
        _record_date_history(commitment, actor, date_history)


def _postponed(step: RecordedDateChange) -> bool:
    return bool(step.old_date and step.new_date and step.new_date > step.old_date)


def _record_date_history(
    commitment: Commitment, actor: Actor, date_history: Sequence[RecordedDateChange]
) -> None:
    TargetDateChange.objects.bulk_create(
        [
            TargetDateChange(
                uid=step.uid,
                commitment=commitment,
                old_date=step.old_date,
                new_date=step.new_date,
                is_postponement=_postponed(step),
                reason=step.reason,
                source=step.source,
                changed_at=step.changed_at,
                **actor.history("changed_by"),
            )
            for step in date_history
        ]
    )
    first = date_history[0].old_date or date_history[0].new_date
    postponements = sum(1 for step in date_history if _postponed(step))
    Commitment.objects.filter(pk=commitment.pk).update(
        original_target_date=first, postponements=postponements
    )
    commitment.original_target_date, commitment.postponements = first, postponements


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    actor: ActorLike,
    data: dict[str, Any],
    expected_version: int | None = None,
    target_date_reason: str = "",
    target_date_source: Source | None = None,
    target_date_uid: UUID | None = None,
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
    locked = lock(commitment, expected_version)
    before = {name: _comparable(locked, name) for name in data}
    partners_to_set, partners_after = _check_country_change(actor, locked, data)
    date_change = _apply_update(
        locked,
        data,
        actor=actor,
        target_date_reason=target_date_reason,
        target_date_source=target_date_source,
        target_date_uid=target_date_uid,
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
    owner_code = code(data.get("owner_country", locked.owner_country_id))
    partners = data.get("partner_countries")
    partner_codes = list(current_partners) if partners is None else [code(c) for c in partners]
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
    target_date_uid: UUID | None = None,
) -> TargetDateChange | None:
    """Set `data`'s fields on `locked` (not yet saved; relations are stored after the save) and
    validate it; returns the move of the target date it records, if any."""
    old_date = locked.target_date
    for name, value in data.items():
        if name not in EDITABLE_RELATIONS:
            setattr(locked, name, value)
    locked.full_clean()
    date_change = target_date_change(
        locked,
        old_date,
        actor,
        target_date_reason,
        target_date_source,
        now or clock.now(),
        uid=target_date_uid,
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
    announce(
        EventType.UPDATED,
        locked,
        actor,
        partners=partners,
        data={"changed_fields": changed},
    )
    if date_change is not None:
        announce(
            EventType.TARGET_DATE_CHANGED,
            locked,
            actor,
            partners=partners,
            data=target_date_event_data(locked, date_change),
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
    uid: UUID | None = None,
) -> StatusChange:
    """Move a commitment to `new_status` if the rules allow it, recording who, when and why.

    A forbidden move raises rules.TransitionNotAllowed and writes nothing. The move resets the
    staleness clock.
    """
    actor = Actor.of(actor)
    now = now or clock.now()
    access.may_change_status(actor, commitment).require()
    note = _require_note(note)
    locked = lock(commitment, expected_version)
    rules.check_transition(locked.status, new_status)
    change = StatusChange.objects.create(
        commitment=locked,
        old_status=locked.status,
        new_status=new_status,
        changed_at=now,
        note=note,
        **({"uid": uid} if uid else {}),
        **actor.history("changed_by"),
    )
    locked.status = new_status
    locked.last_reviewed_at = now
    save_next_version(locked, commitment, "status", "last_reviewed_at")
    announce(
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
    locked = lock(commitment, None)
    review = Review.objects.create(
        commitment=locked,
        reviewed_at=now,
        note=(note or "").strip(),
        **actor.history("reviewed_by"),
    )
    locked.last_reviewed_at = now
    save_next_version(locked, commitment, "last_reviewed_at")
    announce(EventType.REVIEWED, locked, actor, data={"review_id": review.pk})
    return review


@transaction.atomic
def commitment_delete(*, commitment: Commitment, actor: ActorLike) -> None:
    actor = Actor.of(actor)
    access.may_delete(actor, commitment).require()
    locked = lock(commitment, None)
    # The event is written first: it keeps the slug and countries the deletion removes.
    announce(EventType.DELETED, locked, actor)
    locked.delete()


def unique_slug(title: str) -> str:
    """A slug for a new commitment from its title, not yet taken: `title-2` when `title` is."""
    # slugify keeps ASCII only: a Russian, Kazakh or Kyrgyz title would leave its digits or nothing.
    base = slugify(transliterate(title))[:100].strip("-") or "commitment"
    slug, n = base, 1
    while Commitment.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
