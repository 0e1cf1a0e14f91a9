"""Reads of commitments: each list built in one place, with the relations it shows loaded."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from .models import Commitment, CommitmentQuerySet, Evidence


def commitment_list(*, now: datetime | None = None) -> CommitmentQuerySet:
    """Commitments with owner, meeting, partners and evidence (with sources) loaded, and `stale`."""
    return (
        Commitment.objects.select_related("owner_country", "meeting")
        .prefetch_related(
            "partner_countries",
            Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
        )
        .with_is_stale(now or timezone.now())
    )


def stale_commitments(*, now: datetime | None = None) -> CommitmentQuerySet:
    return Commitment.objects.stale(now or timezone.now())


def commitment_admin_list(*, now: datetime | None = None) -> CommitmentQuerySet:
    """The admin changelist: owner and partners loaded, `stale` annotated; no evidence loaded."""
    return (
        Commitment.objects.select_related("owner_country")
        .prefetch_related("partner_countries")
        .with_is_stale(now or timezone.now())
    )


def commitment_export(queryset: CommitmentQuerySet) -> CommitmentQuerySet:
    """A selection prepared for CSV export: every relation a row prints, loaded in bulk."""
    return queryset.select_related("owner_country", "meeting").prefetch_related(
        "partner_countries",
        Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
    )
