"""Evidence for a commitment and the progress figures it backs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from .. import access, clock, selectors
from ..actors import Actor
from ..changes import EventType, announce
from ..models import Commitment, Evidence, ProgressObservation, Source
from .base import lock, save_next_version

if TYPE_CHECKING:
    from ..actors import ActorLike


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
    uid: UUID | None = None,
) -> Evidence:
    """Attach evidence (a verbatim quote from a source and/or an http(s) URL); resets staleness.

    `uid` keeps the public identifier the evidence has elsewhere (an imported data package's)."""
    actor = Actor.of(actor)
    now = now or clock.now()
    access.may_add_evidence(actor, commitment).require()
    locked = lock(commitment, expected_version)
    evidence = Evidence(
        commitment=locked,
        source=source,
        quote=quote or "",
        url=url or "",
        note=note or "",
        observed_on=observed_on or timezone.localdate(now),
        **({"uid": uid} if uid else {}),
        **actor.history("added_by"),
    )
    evidence.full_clean()
    evidence.save()
    locked.last_reviewed_at = now
    save_next_version(locked, commitment, "last_reviewed_at")
    announce(
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
    locked = lock(commitment, None)
    observation.commitment = locked
    observation.full_clean()
    observation.save()
    locked.progress = selectors.commitment_progress(locked)
    save_next_version(locked, commitment, "progress")
    announce(
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
    locked = lock(commitment, None)
    for observation in removed:
        observation.delete()
    for observation in changed:
        observation.full_clean()
        observation.save()
    locked.progress = selectors.commitment_progress(locked)
    save_next_version(locked, commitment, "progress")
    announce(EventType.UPDATED, locked, actor, data={"changed_fields": ["progress"]})
