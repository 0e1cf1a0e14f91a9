"""The change feed: commit order, keyset paging with a cursor that always moves on, filters."""

import pytest

from commitments import services
from commitments.actors import SystemActor
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, UserFactory

URL = "/api/v1/events/"
# Committed rows: on PostgreSQL the feed shows only transactions that have ended, and a test
# wrapped in one open transaction would see none of its own events.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(kz, kg):
    return client_for(UserFactory(username="reader", is_staff=False))


def change(commitment, text):
    services.commitment_update(
        commitment=commitment, actor=SystemActor.INGESTION, data={"description": text}
    )


@pytest.fixture
def two_commitments(kz, kg):
    return (
        CommitmentFactory(slug="kz-kg", owner_country=kz, partners=["KG"]),
        CommitmentFactory(slug="kz-only", owner_country=kz),
    )


def test_a_poller_following_next_sees_every_event_once_in_order(api, two_commitments):
    first, second = two_commitments
    for i in range(5):
        change(first if i % 2 else second, f"change {i}")

    page = api.get(URL, {"page_size": 2}).json()
    seen = [e["commitment"]["slug"] for e in page["results"]]
    ids = [e["id"] for e in page["results"]]
    while page["has_more"]:
        page = api.get(page["next"]).json()
        ids += [e["id"] for e in page["results"]]
    assert len(ids) == len(set(ids)) == 5
    assert seen == ["kz-only", "kz-kg"]

    # Nothing new: `next` repeats the position. A new change appears after it, alone.
    again = api.get(page["next"]).json()
    assert (again["results"], again["next"], again["has_more"]) == ([], page["next"], False)
    change(first, "one more")
    latest = api.get(page["next"]).json()
    assert [e["data"] for e in latest["results"]] == [{"changed_fields": ["description_en"]}]


def test_events_carry_what_a_consumer_needs(api, two_commitments):
    first, _ = two_commitments
    change(first, "new text")

    (event,) = api.get(URL).json()["results"]
    assert event["type"] == "commitment.updated"
    assert event["commitment"] == {
        "id": first.pk,
        "slug": "kz-kg",
        "owner_country": "KZ",
        "partner_countries": ["KG"],
        "version": 2,
    }
    assert event["actor"] == {"type": "system", "name": "ingestion"}
    assert set(event) == {"id", "type", "occurred_at", "commitment", "actor", "data"}


def test_filters_by_type_and_by_owner_or_partner_country(api, two_commitments):
    first, second = two_commitments
    change(first, "a")
    change(second, "b")
    services.commitment_change_status(
        commitment=second, new_status="agreed", actor=SystemActor.INGESTION, note="Signed."
    )

    def slugs(**params):
        return [e["commitment"]["slug"] for e in api.get(URL, params).json()["results"]]

    assert slugs(country="KG") == ["kz-kg"]
    assert slugs(country="KZ") == ["kz-kg", "kz-only", "kz-only"]
    assert slugs(type="commitment.status_changed") == ["kz-only"]
    assert slugs(type="commitment.status_changed,commitment.updated", country="KG") == ["kz-kg"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "commitment.exploded"}, "type"),
        ({"country": "kz"}, "country"),
        ({"after": "not-a-cursor"}, "after"),
        ({"page_size": "500"}, "page_size"),
    ],
)
def test_bad_filters_and_cursors_are_problems_naming_the_parameter(api, db, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_the_feed_needs_a_token_and_is_never_cached(api, db):
    assert client_for(None).get(URL).status_code == 401
    assert api.get(URL)["Cache-Control"] == "private, no-store"
