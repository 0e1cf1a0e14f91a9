import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from commitments.models import Category
from commitments.public.views import PAGE_SIZE
from commitments.rules import Status
from tests.support.factories import CommitmentFactory, CountryFactory
from tests.support.public import page_html

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def titles(response) -> list[str]:
    return [c.title for c in response.context["commitments"]]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_list_shows_each_commitment_with_status_badge_and_last_review_date(client, db, frozen):
    CommitmentFactory(
        title="Build the Tash-Kumyr ferroalloy plant",
        status=Status.AGREED,
        last_reviewed_at=dt.datetime(2025, 5, 20, 9, 0, tzinfo=dt.UTC),
        partners=["KG"],
    )

    html = page_html(client.get("/"))

    assert '<span class="badge status-agreed">Agreed</span>' in html
    assert "20 May 2025" in html
    assert 'href="/commitments/commitment-' in html
    assert 'Kazakhstan <span class="muted">(owner)</span>, Kyrgyzstan' in html


def test_list_has_a_title_and_meta_description(client, db):
    html = client.get("/").content.decode()

    assert "<title>Commitments – Kazakhstan–Kyrgyzstan commitment tracker</title>" in html
    description = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert description and "Kazakhstan and Kyrgyzstan have committed" in description[1]


def test_country_filter_matches_owner_or_partner(client, db):
    CountryFactory(code="UZ")
    CommitmentFactory(title="Owned by KG", owner_country=CountryFactory(code="KG"))
    CommitmentFactory(title="Partnered with KG", partners=["KG"])
    CommitmentFactory(title="Only KZ and UZ", partners=["UZ"])

    response = client.get("/", {"country": "KG"})

    assert sorted(titles(response)) == ["Owned by KG", "Partnered with KG"]


def test_status_and_category_filters_combine(client, db):
    CommitmentFactory(title="Trade, agreed", category=Category.TRADE, status=Status.AGREED)
    CommitmentFactory(title="Trade, announced", category=Category.TRADE)
    CommitmentFactory(title="Energy, agreed", category=Category.ENERGY, status=Status.AGREED)

    response = client.get("/", {"status": "agreed", "category": "trade"})

    assert titles(response) == ["Trade, agreed"]
    assert "1 commitment matches the filters" in response.content.decode()


def test_stale_filter_uses_the_staleness_rule(client, db, frozen):
    now = timezone.now()
    CommitmentFactory(title="Silent for 40 days", last_reviewed_at=now - dt.timedelta(days=40))
    CommitmentFactory(title="Reviewed last week", last_reviewed_at=now - dt.timedelta(days=7))
    CommitmentFactory(
        title="Completed long ago",
        status=Status.COMPLETED,
        last_reviewed_at=now - dt.timedelta(days=400),
    )

    stale = client.get("/", {"stale": "yes"})
    fresh = client.get("/", {"stale": "no"})

    assert titles(stale) == ["Silent for 40 days"]
    assert sorted(titles(fresh)) == ["Completed long ago", "Reviewed last week"]
    assert '<span class="tag tag-stale">Stale</span>' in stale.content.decode()


def test_search_matches_every_word_in_title_or_description(client, db):
    CommitmentFactory(title="Build solar power plants", description="Joint project in Kyrgyzstan")
    CommitmentFactory(title="Reconstruct checkpoints", description="Border crossing works")
    CommitmentFactory(title="Solar water pumps", description="Irrigation")

    assert sorted(titles(client.get("/", {"q": "solar"}))) == [
        "Build solar power plants",
        "Solar water pumps",
    ]
    assert titles(client.get("/", {"q": "SOLAR joint"})) == ["Build solar power plants"]


def test_unknown_filter_value_is_a_400_naming_the_field(client, db):
    CommitmentFactory()

    response = client.get("/", {"status": "finished"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Status: Select a valid choice. finished is not one of the available choices." in html
    assert "<table" not in html


def test_list_is_paginated_and_keeps_the_filters_in_page_links(client, db):
    for i in range(PAGE_SIZE + 3):
        CommitmentFactory(title=f"Trade commitment {i:02d}", category=Category.TRADE)
    CommitmentFactory(title="Energy", category=Category.ENERGY)

    first = client.get("/", {"category": "trade"})
    second = client.get("/", {"category": "trade", "page": 2})

    assert len(first.context["commitments"]) == PAGE_SIZE
    assert len(second.context["commitments"]) == 3
    assert 'href="?category=trade&amp;page=2" rel="next"' in first.content.decode()
    assert "<title>Commitments (filtered), page 2" in second.content.decode()
    assert set(titles(first)).isdisjoint(titles(second))


def test_page_beyond_the_last_is_404(client, db):
    CommitmentFactory()

    assert client.get("/", {"page": 5}).status_code == 404
    assert client.get("/", {"page": "last-one"}).status_code == 404
