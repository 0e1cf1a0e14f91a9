"""Reads of commitments: each list built in one place, with the relations it shows loaded."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from .models import Commitment, CommitmentQuerySet, Country, Evidence


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


def commitment_api_list(*, now: datetime | None = None) -> CommitmentQuerySet:
    """The API's commitments: one query per page, plus one for partners and one for evidence.

    The owner country is shown as its ISO code, which is the foreign key's value, so it needs no
    join; the sources' full texts are not loaded, only their titles. `stale` comes from the one
    staleness rule, evaluated in the database at `now`.
    """
    return Commitment.objects.prefetch_related(
        # Plain lists (`partner_list`, `evidence_list`): reading them per row builds no querysets.
        Prefetch(
            "partner_countries", queryset=Country.objects.only("code"), to_attr="partner_list"
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("source").only(
                "id",
                "commitment_id",
                "source_id",
                "source__title",
                "quote",
                "url",
                "note",
                "observed_on",
                "added_by_id",
            ),
            to_attr="evidence_list",
        ),
    ).with_is_stale(now or timezone.now())
