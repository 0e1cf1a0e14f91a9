"""The database form of staleness agrees with the Python form, at the boundary, with time frozen."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from commitments.models import Commitment
from tests.support.factories import CommitmentFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def boundary_rows(db, settings):
    settings.COMMITMENT_STALE_DAYS = 30
    settings.COMMITMENT_STALE_DAYS_BY_STATUS = {"stalled": 7}
    at = NOW - dt.timedelta(days=30)
    return {
        "exactly_30_days": CommitmentFactory(status="agreed", last_reviewed_at=at),
        "a_second_more": CommitmentFactory(
            status="agreed", last_reviewed_at=at - dt.timedelta(seconds=1)
        ),
        "completed_long_ago": CommitmentFactory(status="completed", last_reviewed_at=at),
        "stalled_8_days": CommitmentFactory(
            status="stalled", last_reviewed_at=NOW - dt.timedelta(days=8)
        ),
        "stalled_7_days": CommitmentFactory(
            status="stalled", last_reviewed_at=NOW - dt.timedelta(days=7)
        ),
    }


@time_machine.travel(NOW, tick=False)
def test_stale_queryset_selects_exactly_the_rows_past_their_threshold(boundary_rows):
    stale = set(Commitment.objects.stale().values_list("slug", flat=True))

    assert stale == {boundary_rows["a_second_more"].slug, boundary_rows["stalled_8_days"].slug}
    assert set(Commitment.objects.not_stale().values_list("slug", flat=True)) == (
        {c.slug for c in boundary_rows.values()} - stale
    )


@time_machine.travel(NOW, tick=False)
def test_stale_annotation_matches_the_python_rule_for_every_row(boundary_rows):
    for commitment in Commitment.objects.with_is_stale():
        assert commitment.stale is commitment.is_stale(timezone.now()), commitment.slug
