"""The list's query count is part of its contract: it does not grow with rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import services
from tests.support.api import LIST_QUERIES
from tests.support.factories import CommitmentFactory, EvidenceFactory, SourceFactory, UserFactory

# 1. the token and its user; 2. the commitment's row (with its partner codes on PostgreSQL);
# 3. elsewhere, its partners; then its evidence; then the parties' positions, their instrument
# dates and the progress figures.
DETAIL_QUERIES = 6 if connection.vendor == "postgresql" else 7


def make(n, kz, kg):
    source = SourceFactory()
    for _ in range(n):
        commitment = CommitmentFactory(partners=["KG"])
        EvidenceFactory.create_batch(2, commitment=commitment, source=source)
        EvidenceFactory(commitment=commitment, source=SourceFactory())


def list_queries(api, params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/commitments/", params)
    assert response.status_code == 200
    return response.json()["results"], len(queries)


def test_list_costs_the_same_queries_for_5_and_100_commitments(api, kz, kg):
    make(5, kz, kg)
    rows, five = list_queries(api, {"page_size": 200})
    assert len(rows) == 5
    make(95, kz, kg)
    rows, hundred = list_queries(api, {"page_size": 200})
    assert len(rows) == 100
    assert all(len(row["evidence"]) == 3 and row["partner_countries"] == ["KG"] for row in rows)
    assert five == hundred == LIST_QUERIES


def test_filtered_page_after_a_cursor_costs_the_same(api, kz, kg, django_assert_num_queries):
    make(30, kz, kg)
    first = api.get("/api/v1/commitments/", {"page_size": 10, "owner_country": "KZ"}).json()
    with django_assert_num_queries(LIST_QUERIES):
        response = api.get(first["next"] + "&status=announced")
    assert len(response.json()["results"]) == 10


def test_detail_costs_a_fixed_number_of_queries(api, kz, kg, django_assert_num_queries):
    make(3, kz, kg)
    pk = api.get("/api/v1/commitments/").json()["results"][0]["id"]
    with django_assert_num_queries(DETAIL_QUERIES):
        assert api.get(f"/api/v1/commitments/{pk}/").status_code == 200


def test_the_list_reads_no_party_accounts_and_shows_their_summaries(api, kz, kg):
    # Positions, instrument dates and progress figures are three more tables: read for each page
    # they made the list 6 queries on PostgreSQL instead of 3.
    make(3, kz, kg)
    commitment = CommitmentFactory(owner_country=kg, partners=["KZ"], instrument_type="treaty")
    root = UserFactory(is_superuser=True, username="root")
    for code, status in (("KG", "in_progress"), ("KZ", "agreed")):
        services.party_position_record(
            commitment=commitment,
            actor=root,
            country=code,
            status=status,
            reported_on=commitment.created_at.date(),
        )
    with CaptureQueriesContext(connection) as queries:
        rows = api.get("/api/v1/commitments/").json()["results"]
    assert len(queries) == LIST_QUERIES
    tables = ("partyposition", "instrumentparty", "progressobservation")
    assert not [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]
    row = next(r for r in rows if r["id"] == commitment.pk)
    assert row["positions_diverge"] is True and row["instrument_type"] == "treaty"
    assert "party_positions" not in row and "progress_series" not in row

    detail = api.get(row["url"]).json()
    assert [p["country"] for p in detail["party_positions"]] == ["KG", "KZ"]
