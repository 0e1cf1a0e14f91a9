"""Each public page costs a fixed number of queries, measured at two sizes of data."""

import datetime as dt
from decimal import Decimal

import pytest

from commitments.models import Commitment
from tests.support.factories import (
    CommitmentFactory,
    CountryFactory,
    EvidenceFactory,
    ObservationFactory,
    StatusChangeFactory,
)


def build(n: int) -> Commitment:
    """n commitments with partners, target dates and status changes; the first one also gets n
    pieces of evidence and n observations."""
    CountryFactory(code="UZ")
    commitments = [
        CommitmentFactory(
            partners=["KG", "UZ"],
            target_date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            target_amount=Decimal("2000000000"),
            target_unit="USD",
        )
        for i in range(n)
    ]
    for commitment in commitments:
        StatusChangeFactory(commitment=commitment)
    first = commitments[0]
    for i in range(n):
        EvidenceFactory(commitment=first)
        ObservationFactory(
            evidence__commitment=first,
            period_start=dt.date(2020 + i % 4, 1, 1),
            period_end=dt.date(2020 + i % 4, 12, 31),
        )
    return first


SIZES = [2, 12]


@pytest.mark.parametrize("n", SIZES)
def test_list_costs_four_queries(client, db, django_assert_num_queries, n):
    build(n)
    # countries for the filter, the count, the page, the page's partner countries
    with django_assert_num_queries(4):
        response = client.get("/", {"country": "KG"})
    assert len(response.context["commitments"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_detail_costs_eight_queries(client, db, django_assert_num_queries, n):
    first = build(n)
    # the commitment with owner and meeting, partners, evidence with sources, status changes,
    # observations with their evidence, sources and reporting party, target date changes with
    # their sources, the parties' positions, the parties' instrument dates with their evidence
    with django_assert_num_queries(8):
        response = client.get(first.get_absolute_url())
    assert len(response.context["timeline"]) == 2 * n + 1


@pytest.mark.parametrize("n", SIZES)
def test_dashboard_costs_seven_queries(client, db, django_assert_num_queries, n):
    build(n)
    # totals, countries, owned counts, partnered counts, targets due, diverging commitments
    # (none here; their positions cost one more, see tests/test_parties.py), latest changes
    with django_assert_num_queries(7):
        response = client.get("/dashboard/")
    assert response.context["totals"]["total"] == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/feeds/status-changes.atom", 2),
        ("/feeds/status-changes/KG.atom", 3),
        ("/feeds/target-dates.ics", 1),
        ("/feeds/target-dates/KG.ics", 2),
    ],
)
def test_feeds_cost_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, n, path, queries
):
    build(n)
    # (the country), then the items with their commitments (Atom: status changes, then moves of
    # target dates)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.content.count(b"<entry>") + response.content.count(b"BEGIN:VEVENT") >= n
