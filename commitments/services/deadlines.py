"""A commitment's target date moving: the record of the move and its event's data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError

from .. import messages
from ..actors import Actor
from ..models import Commitment, Source, TargetDateChange
from .base import iso


def target_date_event_data(locked: Commitment, change: TargetDateChange) -> dict[str, Any]:
    return {
        "old_date": iso(change.old_date),
        "new_date": iso(change.new_date),
        "postponement": change.is_postponement,
        "postponements": locked.postponements,
        "original_target_date": iso(locked.original_target_date),
        "reason": change.reason,
        "source_id": change.source_id,
    }


def target_date_change(
    locked: Commitment,
    old_date: date | None,
    actor: Actor,
    reason: str,
    source: Source | None,
    now: datetime,
    uid: UUID | None = None,
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
        **({"uid": uid} if uid else {}),
        **actor.history("changed_by"),
    )
