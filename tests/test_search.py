"""One search, one meaning: the public list (`q=`) and the API (`search=`) find the same
commitments, in the title and description only; how a word matches differs by database and is
documented (README, "Search")."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.support.factories import CommitmentFactory, UserFactory

API_LIST = "/api/v1/commitments/"


@pytest.fixture
def commitments(db):
    return {
        "solar": CommitmentFactory(
            slug="kg-solar", title="Build solar power plants", description="Joint project"
        ),
        "transport": CommitmentFactory(
            slug="corridor", title="Transport corridor", description="Rail freight to China"
        ),
        "water": CommitmentFactory(
            slug="water-monitoring", title="Water monitoring", description="Solar-powered gauges"
        ),
    }


@pytest.fixture
def api(db):
    client = APIClient()
    client.force_authenticate(UserFactory(username="reader", is_staff=False))
    return client


def found(client, api, text: str, commitments) -> set[str]:
    """The commitments `text` finds, after checking that both edges find the same ones."""
    names = {c.pk: name for name, c in commitments.items()}
    page = client.get("/", {"q": text}).context["page_obj"]
    public = {names[c.pk] for c in page.object_list}
    response = api.get(API_LIST, {"search": text})
    assert response.status_code == 200, response.content
    through_api = {names[row["id"]] for row in response.json()["results"]}
    assert public == through_api, f"{text!r}: public list {public}, API {through_api}"
    return public


def test_public_list_and_api_search_the_same_fields_with_every_word_required(
    client, api, commitments
):
    assert found(client, api, "solar", commitments) == {"solar", "water"}  # title or description
    assert found(client, api, "SOLAR joint", commitments) == {"solar"}  # every word, any case
    assert found(client, api, "freight", commitments) == {"transport"}
    assert found(client, api, "corridor China", commitments) == {"transport"}
    assert found(client, api, "kg-solar", commitments) == set()  # the slug is not searched
    assert found(client, api, "   ", commitments) == {"solar", "transport", "water"}


def test_a_word_matches_whole_words_on_postgresql_and_parts_of_words_on_sqlite(
    client, api, commitments
):
    # The one documented difference between the two databases.
    part_of_a_word = found(client, api, "port", commitments)  # in "transport"

    if connection.vendor == "postgresql":
        assert part_of_a_word == set()
    else:
        assert part_of_a_word == {"transport"}


@pytest.mark.services
def test_postgresql_search_understands_phrases_exclusions_and_or(client, api, commitments):
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."

    assert found(client, api, '"power plants"', commitments) == {"solar"}
    assert found(client, api, '"plants power"', commitments) == set()
    assert found(client, api, "solar -joint", commitments) == {"water"}
    assert found(client, api, "freight or gauges", commitments) == {"transport", "water"}
