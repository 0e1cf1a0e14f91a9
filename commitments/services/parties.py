"""What each party country reports for itself: its account of the status, and its dates on a
legal instrument."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import access, clock, messages, rules
from ..actors import Actor
from ..changes import EventType, announce
from ..models import Commitment, Country, Evidence, InstrumentParty, PartyPosition, Source
from .base import code as country_code
from .base import iso, lock, save_next_version

if TYPE_CHECKING:
    from ..actors import ActorLike


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
    code = country_code(country)
    access.may_record_for_party(actor, commitment, code).require()
    locked = lock(commitment, expected_version)
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
    save_next_version(locked, commitment, "positions_diverge")
    announce(
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
    code = country_code(country)
    access.may_record_for_party(actor, commitment, code).require()
    locked = lock(commitment, expected_version)
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
    save_next_version(locked, commitment)
    recorded = list(
        InstrumentParty.objects.filter(commitment=locked).values(*rules.INSTRUMENT_STEPS)
    )
    suggestion = rules.suggested_status(
        locked.status, locked.instrument_type, recorded, len(parties)
    )
    announce(
        EventType.INSTRUMENT_DATES_RECORDED,
        locked,
        actor,
        partners=[c for c in parties if c != locked.owner_country_id],
        data={
            "country": code,
            "signed_on": iso(signed_on),
            "ratified_on": iso(ratified_on),
            "in_force_on": iso(in_force_on),
            "evidence_id": row.evidence_id,
            "suggested_status": suggestion,
        },
    )
    return row
