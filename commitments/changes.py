"""The changes of a commitment that the services announce, and the signal that carries them.

Every service that changes a commitment calls `announce()` inside its transaction. The parts that
keep or publish changes listen: the events' outbox (`commitments.events`) writes its Event row in
that same transaction, so a rolled-back change leaves no event and a committed one always has
one. The services so know nothing of who listens, and the events part sits above them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .actors import Actor
    from .models import Commitment


class EventType(models.TextChoices):
    CREATED = "commitment.created", _("commitment created")
    UPDATED = "commitment.updated", _("commitment updated")
    STATUS_CHANGED = "commitment.status_changed", _("status changed")
    REVIEWED = "commitment.reviewed", _("commitment reviewed")
    EVIDENCE_ADDED = "commitment.evidence_added", _("evidence added")
    OBSERVATION_ADDED = "commitment.observation_added", _("observation added")
    TARGET_DATE_CHANGED = "commitment.target_date_changed", _("target date changed")
    PARTY_POSITION_RECORDED = "commitment.party_position_recorded", _("party position recorded")
    INSTRUMENT_DATES_RECORDED = (
        "commitment.instrument_dates_recorded",
        _("instrument dates recorded"),
    )
    DELETED = "commitment.deleted", _("commitment deleted")


# Sent with change (EventType), commitment, actor, partners (codes after the change, or None) and
# data (a dict). Receivers run in the sender's transaction; an error in one undoes the change.
commitment_changed = Signal()


def announce(
    change: EventType,
    commitment: Commitment,
    actor: Actor,
    *,
    partners: Iterable[str] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Announce a change the caller is making in the current transaction. Refuses to run outside
    one: whatever a listener writes must share the change's fate."""
    if not connection.in_atomic_block:
        raise RuntimeError("changes.announce() must run inside the change's transaction.")
    commitment_changed.send(
        sender=EventType,
        change=change,
        commitment=commitment,
        actor=actor,
        partners=partners,
        data=data,
    )
