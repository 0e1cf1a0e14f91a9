"""The commitments resource: reads, filters, search, ordering, pagination and writes."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from commitments import rules
from commitments.models import Commitment, StatusChange
from commitments.rules import Status
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, EvidenceFactory, SourceFactory

LIST = "/api/v1/commitments/"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_gets_401_with_a_challenge(db):
    response = client_for(None).get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["type"] == "urn:tracker:problem:not-authenticated"


def test_any_token_reads(reader, kz):
    CommitmentFactory()
    assert len(ids(client_for(reader).get(LIST))) == 1


def test_session_login_reads(reader, kz):
    CommitmentFactory()
    client = client_for(None)
    client.force_login(reader)
    assert client.get(LIST).status_code == 200


def test_commitment_json_carries_the_spec_fields(api, kz, kg):
    source = SourceFactory(title="Council meets")
    commitment = CommitmentFactory(
        partners=["KG"],
        target_amount="2000000000",
        target_unit="USD",
        target_date=dt.date(2030, 1, 1),
    )
    EvidenceFactory(commitment=commitment, source=source, url="https://example.org/a")

    response = api.get(f"{LIST}{commitment.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["id"] == commitment.pk
    assert data["url"] == f"http://testserver/api/v1/commitments/{commitment.pk}/"
    assert data["owner_country"] == "KZ"
    assert data["owner_country_url"] == "http://testserver/api/v1/countries/KZ/"
    assert data["partner_countries"] == ["KG"]
    assert data["status"] == "announced"
    assert data["allowed_transitions"] == ["agreed", "stalled", "cancelled"]
    assert data["target_amount"] == "2000000000.00"
    assert data["target_unit"] == "USD"
    assert data["target_date"] == "2030-01-01"
    assert data["is_stale"] is False
    assert data["version"] == 1
    assert data["evidence_url"].endswith(f"/commitments/{commitment.pk}/evidence/")
    assert data["history_url"].endswith(f"/commitments/{commitment.pk}/history/")
    assert data["transitions_url"].endswith(f"/commitments/{commitment.pk}/transitions/")
    [evidence] = data["evidence"]
    assert evidence["source"] == source.pk
    assert evidence["source_title"] == "Council meets"
    assert evidence["source_url"] == f"http://testserver/api/v1/sources/{source.pk}/"
    assert evidence["quote"] == "agreed to build a trade and logistics complex"
    assert evidence["url"] == "https://example.org/a"
    assert response["ETag"] == f'"{commitment.pk}-1"'


def test_is_stale_follows_the_staleness_rule(api, kz, settings):
    settings.COMMITMENT_STALE_DAYS = 30
    now = timezone.now()
    fresh = CommitmentFactory(last_reviewed_at=now - dt.timedelta(days=29))
    old = CommitmentFactory(last_reviewed_at=now - dt.timedelta(days=31))
    final = CommitmentFactory(
        last_reviewed_at=now - dt.timedelta(days=400), status=Status.COMPLETED
    )
    rows = {row["id"]: row["is_stale"] for row in api.get(LIST).json()["results"]}
    assert rows == {fresh.pk: False, old.pk: True, final.pk: False}
    assert ids(api.get(LIST, {"stale": "true"})) == [old.pk]
    assert set(ids(api.get(LIST, {"stale": "false"}))) == {fresh.pk, final.pk}


def test_is_stale_and_the_stale_filter_agree_at_the_threshold(api, kz, settings):
    """The list computes `is_stale` in Python and the filter in SQL: both at the same instant."""
    settings.COMMITMENT_STALE_DAYS = 30
    settings.COMMITMENT_STALE_DAYS_BY_STATUS = {Status.AGREED: 10}
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    at_threshold = CommitmentFactory(last_reviewed_at=now - dt.timedelta(days=30))
    just_past = CommitmentFactory(last_reviewed_at=now - dt.timedelta(days=30, microseconds=1))
    agreed_past = CommitmentFactory(
        status=Status.AGREED, last_reviewed_at=now - dt.timedelta(days=10, seconds=1)
    )
    with time_machine.travel(now, tick=False):
        listed = {row["id"]: row["is_stale"] for row in api.get(LIST).json()["results"]}
        stale_ids = set(ids(api.get(LIST, {"stale": "true"})))
    assert listed == {at_threshold.pk: False, just_past.pk: True, agreed_past.pk: True}
    assert stale_ids == {just_past.pk, agreed_past.pk}


def test_filters_by_several_statuses(api, kz):
    agreed = CommitmentFactory(status=Status.AGREED)
    stalled = CommitmentFactory(status=Status.STALLED)
    CommitmentFactory(status=Status.ANNOUNCED)
    response = api.get(LIST, {"status": ["agreed", "stalled"]})
    assert set(ids(response)) == {agreed.pk, stalled.pk}


def test_filters_by_owner_and_partner_country(api, kz, kg):
    kz_owned = CommitmentFactory(owner_country=kz)
    kg_owned_with_kz = CommitmentFactory(owner_country=kg, partners=["KZ"])
    kg_only = CommitmentFactory(owner_country=kg)
    assert ids(api.get(LIST, {"owner_country": "KZ"})) == [kz_owned.pk]
    assert set(ids(api.get(LIST, {"owner_country": "KG"}))) == {kg_owned_with_kz.pk, kg_only.pk}
    assert ids(api.get(LIST, {"partner_country": "KZ"})) == [kg_owned_with_kz.pk]


def test_filters_by_category_target_dates_and_updated_since(api, kz):
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        early = CommitmentFactory(category="energy", target_date=dt.date(2026, 1, 1))
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False):
        late = CommitmentFactory(category="water", target_date=dt.date(2030, 1, 1))
    assert ids(api.get(LIST, {"category": "water"})) == [late.pk]
    assert ids(api.get(LIST, {"target_date_after": "2027-01-01"})) == [late.pk]
    assert ids(api.get(LIST, {"target_date_before": "2027-01-01"})) == [early.pk]
    assert ids(api.get(LIST, {"updated_since": "2025-03-01T00:00:00Z"})) == [late.pk]


def test_search_matches_title_and_description(api, kz):
    by_title = CommitmentFactory(title="Kambarata hydropower plant", description="")
    by_text = CommitmentFactory(title="Energy", description="Build the Kambarata dam together")
    CommitmentFactory(title="Trade turnover", description="Raise trade")
    assert set(ids(api.get(LIST, {"search": "Kambarata"}))) == {by_title.pk, by_text.pk}
    assert ids(api.get(LIST, {"search": "hydropower Kambarata"})) == [by_title.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "finished"},
        {"category": "space"},
        {"owner_country": "kazakhstan"},
        {"partner_country": "K1"},
        {"stale": "maybe"},
        {"target_date_after": "2025-13-01"},
        {"updated_since": "yesterday"},
        {"updated_since": "0001-01-01T00:00:00+14:00"},
        {"cursor": "eyJvIjoiLXVwZGF0ZWRfYXQiLCJ2IjpbIjIwMjUtMDEtMDFUMDA6MDA6MDAiLDFdfQ"},
        {"ordering": "title"},
        {"page_size": "0"},
        {"page_size": "201"},
        {"page_size": "²"},
        {"cursor": "not-a-cursor"},
    ],
)
def test_bad_filter_values_are_400s_naming_the_parameter(api, kz, params):
    response = api.get(LIST, params)
    assert response.status_code == 400, response.content
    [name] = params
    assert name in response.json()["errors"]


def test_one_commitment_ignores_the_lists_filters(api, kz):
    # The list's filters choose which commitments it shows; one commitment is named by its id.
    commitment = CommitmentFactory()
    path = f"{LIST}{commitment.pk}/"
    for params in ({"status": "completed"}, {"stale": "maybe"}, {"owner_country": "KG"}):
        query = "?" + "&".join(f"{name}={value}" for name, value in params.items())
        response = api.get(path + query)
        assert response.status_code == 200, (params, response.content)
        assert response.json()["id"] == commitment.pk
        assert api.patch(path + query, {"notes": "Seen."}, format="json").status_code == 200
    assert api.delete(f"{path}?status=completed").status_code == 204


def test_updated_since_accepts_offsets_postgresql_would_refuse(api, kz):
    CommitmentFactory()
    assert len(ids(api.get(LIST, {"updated_since": "2000-01-01T00:00:00+17:13"}))) == 1


def test_ordering_and_cursor_pages_walk_every_row_once(api, kz):
    dates = [None, dt.date(2030, 1, 1), dt.date(2026, 1, 1), None, dt.date(2026, 1, 1)]
    made = [CommitmentFactory(target_date=d) for d in dates]
    for ordering in ["-updated_at", "updated_at", "id", "-id", "target_date", "-target_date"]:
        seen, url = [], f"{LIST}?ordering={ordering}&page_size=2"
        while url:
            page = api.get(url).json()
            assert len(page["results"]) <= 2
            seen += [row["id"] for row in page["results"]]
            url = page["next"]
        assert sorted(seen) == sorted(c.pk for c in made), ordering
        if ordering == "target_date":
            by_date = sorted(made, key=lambda c: (c.target_date is None, c.target_date, c.pk))
            assert seen == [c.pk for c in by_date]
        if ordering == "-id":
            assert seen == sorted(seen, reverse=True)


def test_default_order_is_most_recently_updated_first(api, kz):
    first, second = CommitmentFactory(), CommitmentFactory()
    first.title = "Touched"
    first.save()
    assert ids(api.get(LIST)) == [first.pk, second.pk]


def test_cursor_of_one_ordering_is_refused_for_another(api, kz):
    CommitmentFactory(), CommitmentFactory()
    next_url = api.get(LIST, {"page_size": 1}).json()["next"]
    response = api.get(next_url + "&ordering=id")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_create_records_history_and_answers_with_location_and_etag(kz_officer, kg):
    body = {
        "title": "Open a new checkpoint",
        "owner_country": "KZ",
        "partner_countries": ["KG"],
        "category": "border_transport",
        "target_amount": "150.5",
        "target_unit": "MUSD",
        "note": "From the council minutes.",
    }
    response = client_for(kz_officer).post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    commitment = Commitment.objects.get(pk=data["id"])
    assert response["Location"] == data["url"]
    assert response["ETag"] == f'"{commitment.pk}-1"'
    assert commitment.slug == "open-a-new-checkpoint"
    assert data["partner_countries"] == ["KG"]
    assert data["target_amount"] == "150.50"
    history = StatusChange.objects.get(commitment=commitment)
    assert (history.new_status, history.changed_by, history.note) == (
        "announced",
        kz_officer,
        "From the council minutes.",
    )


def test_put_replaces_fields_and_patch_changes_only_those_sent(kz_officer, kg):
    commitment = CommitmentFactory(description="Old text", notes="keep?", partners=["KG"])
    client = client_for(kz_officer)
    url = f"{LIST}{commitment.pk}/"

    response = client.patch(url, {"description": "New text"}, format="json")
    assert response.status_code == 200, response.content
    commitment.refresh_from_db()
    assert (commitment.description, commitment.notes, commitment.version) == (
        "New text",
        "keep?",
        2,
    )

    body = {"title": "Replaced", "owner_country": "KZ", "category": "energy"}
    response = client.put(url, body, format="json")
    assert response.status_code == 200, response.content
    commitment.refresh_from_db()
    assert (commitment.title, commitment.description, commitment.notes) == ("Replaced", "", "")
    assert list(commitment.partner_countries.all()) == []
    assert response.json()["version"] == 3
    assert response["ETag"] == f'"{commitment.pk}-3"'


def test_update_refuses_a_status_change(api, kz):
    commitment = CommitmentFactory()
    response = api.patch(f"{LIST}{commitment.pk}/", {"status": "agreed"}, format="json")
    assert response.status_code == 400
    assert "transitions" in response.json()["errors"]["status"][0]
    commitment.refresh_from_db()
    assert commitment.status == Status.ANNOUNCED


def test_staff_cannot_move_a_commitment_out_of_their_scope(kz_officer, kg):
    commitment = CommitmentFactory()
    response = client_for(kz_officer).patch(
        f"{LIST}{commitment.pk}/", {"owner_country": "KG"}, format="json"
    )
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert (commitment.owner_country_id, commitment.version) == ("KZ", 1)


def test_transition_records_history_and_resets_staleness(kz_officer):
    old = timezone.now() - dt.timedelta(days=90)
    commitment = CommitmentFactory(last_reviewed_at=old)
    response = client_for(kz_officer).post(
        f"{LIST}{commitment.pk}/transitions/", {"status": "agreed", "note": "Signed."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "agreed"
    assert response.json()["is_stale"] is False
    change = StatusChange.objects.get(commitment=commitment)
    assert (change.old_status, change.new_status, change.note) == ("announced", "agreed", "Signed.")
    assert change.changed_by == kz_officer


def test_forbidden_transition_is_400_naming_the_allowed_moves_and_saves_nothing(api, kz):
    commitment = CommitmentFactory(status=Status.STALLED)
    response = api.post(
        f"{LIST}{commitment.pk}/transitions/", {"status": "completed", "note": "Done."}
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:tracker:problem:transition-not-allowed"
    assert problem["allowed_statuses"] == ["in_progress", "cancelled"]
    assert problem["errors"]["status"] == [str(rules.transition_refusal("stalled", "completed"))]
    commitment.refresh_from_db()
    assert (commitment.status, commitment.version) == (Status.STALLED, 1)
    assert not StatusChange.objects.filter(commitment=commitment).exists()


def test_transition_needs_a_note(api, kz):
    commitment = CommitmentFactory()
    response = api.post(f"{LIST}{commitment.pk}/transitions/", {"status": "agreed"})
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    response = api.post(f"{LIST}{commitment.pk}/transitions/", {"status": "agreed", "note": " "})
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    commitment.refresh_from_db()
    assert commitment.status == Status.ANNOUNCED


def test_superuser_deletes(api, kz):
    commitment = CommitmentFactory()
    assert api.delete(f"{LIST}{commitment.pk}/").status_code == 204
    assert not Commitment.objects.filter(pk=commitment.pk).exists()


def test_an_empty_cursor_is_the_first_page(api, kz):
    CommitmentFactory.create_batch(3)
    first = api.get("/api/v1/commitments/", {"page_size": 2}).json()
    response = api.get("/api/v1/commitments/", {"page_size": 2, "cursor": ""})
    assert response.status_code == 200
    assert response.json() == first


def test_stale_filter_takes_the_booleans_a_client_sends(api, kz):
    CommitmentFactory()
    for value in ("true", "false"):
        assert api.get("/api/v1/commitments/", {"stale": value}).status_code == 200
    assert api.get("/api/v1/commitments/", {"stale": "maybe"}).status_code == 400


@pytest.mark.parametrize(
    ("suffix", "method", "body"),
    [
        ("", "patch", {"notes": "n", "colour": "red"}),
        ("", "put", {"title": "t", "owner_country": "KZ", "category": "trade", "colour": "red"}),
        ("transitions/", "post", {"status": "agreed", "note": "n", "colour": "red"}),
    ],
)
def test_unknown_fields_on_every_write_are_400_naming_them(api, kz, suffix, method, body):
    commitment = CommitmentFactory()
    url = f"/api/v1/commitments/{commitment.pk}/{suffix}"
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == 400
    assert "colour" in response.json()["errors"]
    commitment.refresh_from_db()
    assert commitment.version == 1
