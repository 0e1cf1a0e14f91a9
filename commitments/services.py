"""Writes to commitments. Each service validates, saves and records history in one transaction.

Admin, API, management commands and Celery tasks call these; none of them save a Commitment,
Evidence or StatusChange on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import access, rules
from .fields import EDITABLE, EDITABLE_RELATIONS
from .models import Commitment, Evidence, Review, Source, StatusChange

# What callers may change on a commitment, declared in `fields` (as is EDITABLE_RELATIONS). Status
# is not here: it changes only through commitment_change_status, with a note.
EDITABLE_FIELDS: tuple[str, ...] = EDITABLE


class EditNotAllowed(PermissionDenied):
    """The user's countries do not include the commitment's owner or partners."""


class VersionConflict(Exception):
    """The commitment changed since the caller read it (an If-Match that no longer matches)."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(
            f"The commitment has changed since it was read (now version {current_version})."
        )


def require_edit(user, commitment: Commitment) -> None:
    if user is not None and not access.can_edit_commitment(user, commitment):
        raise EditNotAllowed(
            "You may change only commitments that your country owns or is a partner in."
        )


def _lock(commitment: Commitment, expected_version: int | None) -> Commitment:
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(locked.version)
    return locked


def _refresh_caller_copy(commitment: Commitment, locked: Commitment) -> None:
    for field in ("status", "last_reviewed_at", "version", "updated_at"):
        setattr(commitment, field, getattr(locked, field))


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ["Say why the status changes: a note is required."]})
    return note


@transaction.atomic
def commitment_create(
    *,
    user,
    partner_countries: Iterable = (),
    responsible_users: Iterable = (),
    note: str = "",
    now: datetime | None = None,
    **fields: Any,
) -> Commitment:
    """Create a commitment and the first row of its status history."""
    now = now or timezone.now()
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"status"}
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    commitment = Commitment(last_reviewed_at=now, **fields)
    partner_codes = [getattr(c, "code", c) for c in partner_countries]
    if user is not None and not access.can_create_for(
        user, commitment.owner_country_id, partner_codes
    ):
        raise EditNotAllowed(
            "You may create only commitments that your country owns or is a partner in."
        )
    commitment.full_clean()
    commitment.save()
    commitment.partner_countries.set(partner_codes)
    commitment.responsible_users.set(list(responsible_users))
    StatusChange.objects.create(
        commitment=commitment,
        old_status="",
        new_status=commitment.status,
        changed_by=user,
        changed_at=now,
        note=note or "Commitment recorded.",
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    user,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Commitment:
    """Change descriptive fields; status changes go through commitment_change_status."""
    if "status" in data:
        raise ValidationError(
            {"status": ["Change the status through a status change, with a note."]}
        )
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    require_edit(user, commitment)
    locked = _lock(commitment, expected_version)
    partners = data.get("partner_countries")
    for name, value in data.items():
        if name not in EDITABLE_RELATIONS:
            setattr(locked, name, value)
    partner_codes = (
        [getattr(c, "code", c) for c in partners]
        if partners is not None
        else list(locked.partner_countries.values_list("code", flat=True))
    )
    # Nobody may move a commitment out of their own scope by changing its countries.
    if user is not None and not access.can_create_for(user, locked.owner_country_id, partner_codes):
        raise EditNotAllowed("After this change your country would no longer own or partner in it.")
    locked.full_clean()
    locked.version += 1
    locked.save()
    if partners is not None:
        locked.partner_countries.set(partner_codes)
    if "responsible_users" in data:
        locked.responsible_users.set(list(data["responsible_users"]))
    return locked


@transaction.atomic
def commitment_change_status(
    *,
    commitment: Commitment,
    new_status: str,
    user,
    note: str,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> StatusChange:
    """Move a commitment to `new_status` if the rules allow it, recording who, when and why.

    A forbidden move raises rules.TransitionNotAllowed and writes nothing. The move resets the
    staleness clock.
    """
    now = now or timezone.now()
    require_edit(user, commitment)
    note = _require_note(note)
    locked = _lock(commitment, expected_version)
    rules.check_transition(locked.status, new_status)
    change = StatusChange.objects.create(
        commitment=locked,
        old_status=locked.status,
        new_status=new_status,
        changed_by=user,
        changed_at=now,
        note=note,
    )
    locked.status = new_status
    locked.last_reviewed_at = now
    locked.version += 1
    locked.save(update_fields=["status", "last_reviewed_at", "version", "updated_at"])
    _refresh_caller_copy(commitment, locked)
    return change


@transaction.atomic
def commitment_mark_reviewed(
    *, commitment: Commitment, user, note: str = "", now: datetime | None = None
) -> Review:
    """Record that the commitment is current as it stands; resets the staleness clock."""
    now = now or timezone.now()
    require_edit(user, commitment)
    locked = _lock(commitment, None)
    review = Review.objects.create(
        commitment=locked, reviewed_by=user, reviewed_at=now, note=(note or "").strip()
    )
    locked.last_reviewed_at = now
    locked.version += 1
    locked.save(update_fields=["last_reviewed_at", "version", "updated_at"])
    _refresh_caller_copy(commitment, locked)
    return review


@transaction.atomic
def evidence_add(
    *,
    commitment: Commitment,
    user,
    source: Source | None = None,
    quote: str = "",
    url: str = "",
    note: str = "",
    observed_on: date | None = None,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Attach evidence (a verbatim quote from a source and/or an http(s) URL); resets staleness."""
    now = now or timezone.now()
    require_edit(user, commitment)
    locked = _lock(commitment, expected_version)
    evidence = Evidence(
        commitment=locked,
        source=source,
        quote=quote or "",
        url=url or "",
        note=note or "",
        observed_on=observed_on or timezone.localdate(now),
        added_by=user,
    )
    evidence.full_clean()
    evidence.save()
    locked.last_reviewed_at = now
    locked.version += 1
    locked.save(update_fields=["last_reviewed_at", "version", "updated_at"])
    _refresh_caller_copy(commitment, locked)
    return evidence


@transaction.atomic
def commitment_delete(*, commitment: Commitment, user) -> None:
    if user is not None and not access.can_delete_commitment(user, commitment):
        raise EditNotAllowed("Only superusers may delete commitments.")
    commitment.delete()
