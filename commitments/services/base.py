"""What every service module shares: a commitment's lock and next version, and the conversions
several of them need."""

from __future__ import annotations

from datetime import date

from django.db import connection

from ..models import Commitment, Country
from ..rules import VersionConflict, version_conflict  # noqa: F401 (the services' names too)

# The advisory lock's class: any constant no other lock in the project uses.
_COMMITMENT_LOCK_CLASS = 7401


def lock(commitment: Commitment, expected_version: int | None) -> Commitment:
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


def save_next_version(locked: Commitment, commitment: Commitment, *changed: str) -> None:
    """Save `locked` (its `changed` fields) as the commitment's next version, and show what the
    interfaces read back (status, review time, version) on the caller's copy too."""
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    for field in ("status", "last_reviewed_at", "version", "updated_at"):
        setattr(commitment, field, getattr(locked, field))


def code(country: Country | str) -> str:
    return country.code if isinstance(country, Country) else country


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
