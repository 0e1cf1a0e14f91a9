import datetime as dt

import pytest
from rest_framework.test import APIClient

from commitments.models import ApiToken, Commitment
from perf.generate import generate
from tests.support.factories import UserFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def client_with_token(db):
    _, key = ApiToken.objects.issue(UserFactory(username="bench-reader"), "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def data(db):
    generate(commitments=300, users=10, sources=5, now=NOW)


def expected_ids(status, owner, limit=50):
    return list(
        Commitment.objects.filter(status=status, owner_country_id=owner)
        .order_by("-updated_at", "-id")
        .values_list("id", flat=True)[:limit]
    )


@pytest.mark.urls("tests.perf.urls")
def test_plain_drf_list_filters_paginates_and_nests_partners_and_evidence(client_with_token, data):
    response = client_with_token.get(
        "/bench/plain-drf/commitments/", {"status": "in_progress", "owner_country": "KZ"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (
        body["count"] == Commitment.objects.filter(status="in_progress", owner_country="KZ").count()
    )
    assert [row["id"] for row in body["results"]] == expected_ids("in_progress", "KZ")
    first = body["results"][0]
    assert first["owner_country"]["code"] == "KZ"
    assert first["partner_countries"] and first["partner_countries"][0]["code"] != "KZ"
    assert len(first["evidence"]) == 3
    assert (
        first["evidence"][0]["quote"]
        in Commitment.objects.get(pk=first["id"])
        .evidence.get(pk=first["evidence"][0]["id"])
        .source.text
    )


@pytest.mark.urls("tests.perf.urls")
def test_bare_list_serves_the_same_list_as_the_plain_drf_list(client_with_token, data):
    params = {"status": "agreed", "owner_country": "KG"}

    bare = client_with_token.get("/bench/bare/commitments/", params).json()["results"]
    plain = client_with_token.get("/bench/plain-drf/commitments/", params).json()["results"]

    assert [row["id"] for row in bare] == [row["id"] for row in plain]
    assert [row["id"] for row in bare] == expected_ids("agreed", "KG")
    assert {row["status"] for row in bare} == {"agreed"}
    assert {row["owner_country_id"] for row in bare} == {"KG"}
    for b, p in zip(bare, plain, strict=True):
        assert sorted(b["partner_countries"]) == sorted(c["code"] for c in p["partner_countries"])
        assert [e["id"] for e in b["evidence"]] == [e["id"] for e in p["evidence"]]
        assert [e["quote"] for e in b["evidence"]] == [e["quote"] for e in p["evidence"]]
        assert [e["source__title"] for e in b["evidence"]] == [
            e["source"]["title"] for e in p["evidence"]
        ]


@pytest.mark.urls("tests.perf.urls")
def test_bare_flat_list_serves_the_same_page_without_partners_or_evidence(client_with_token, data):
    params = {"status": "agreed", "owner_country": "KG"}

    flat = client_with_token.get("/bench/bare-flat/commitments/", params).json()["results"]

    assert [row["id"] for row in flat] == expected_ids("agreed", "KG")
    assert "evidence" not in flat[0] and "partner_countries" not in flat[0]


@pytest.mark.urls("tests.perf.urls")
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # the token and its user; the page of commitments
        ("/bench/bare-flat/commitments/", 2),
        # the same, then the page's partner codes, then its evidence with source titles
        ("/bench/bare/commitments/", 4),
    ],
)
def test_bare_lists_cost_fixed_queries_whatever_the_page_holds(
    client_with_token, data, django_assert_num_queries, path, queries
):
    with django_assert_num_queries(queries):
        response = client_with_token.get(path)
    assert len(response.json()["results"]) == 50


@pytest.mark.urls("tests.perf.urls")
@pytest.mark.parametrize(
    "path",
    ["/bench/plain-drf/commitments/", "/bench/bare/commitments/", "/bench/bare-flat/commitments/"],
)
def test_reference_views_refuse_anonymous_callers(db, path):
    assert APIClient().get(path).status_code == 401


@pytest.mark.django_db
def test_reference_views_are_not_mounted_unless_the_setting_is_on(client_with_token):
    assert client_with_token.get("/bench/bare/commitments/").status_code == 404
    assert client_with_token.get("/bench/plain-drf/commitments/").status_code == 404
