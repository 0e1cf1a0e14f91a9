"""Every 4xx has the same problem-details shape and names what is wrong; nothing is half-saved."""

import json

import pytest
from rest_framework.throttling import UserRateThrottle

from commitments.models import Commitment, Evidence
from commitments.rest.errors import PROBLEM_TYPES
from tests.support.factories import CommitmentFactory, SourceFactory

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert set(problem) >= PROBLEM_KEYS
    assert problem["status"] == status
    # One documented type per condition, each with its one status.
    prefix, _, code = problem["type"].rpartition(":")
    assert prefix == "urn:tracker:problem"
    assert PROBLEM_TYPES[code][0] == status, problem["type"]
    if field is not None:
        assert field in problem["errors"], problem
        assert field in problem["detail"]
    return problem


def test_malformed_json_is_400(api, kz):
    response = api.post("/api/v1/commitments/", "{not json", content_type="application/json")
    assert_problem(response, 400)


def test_non_json_body_is_415(api, kz):
    response = api.post("/api/v1/commitments/", "title=x", content_type="text/plain")
    assert_problem(response, 415)


def test_a_json_array_body_is_400(api, kz):
    response = api.post("/api/v1/commitments/", [1, 2], format="json")
    assert_problem(response, 400, "non_field_errors")


GOOD = {"title": "Open a checkpoint", "owner_country": "KZ", "category": "trade"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"id": 5}, "id"),
        ({"title": 12}, "title"),  # a number is not text (DRF used to coerce it)
        ({"title": 0}, "title"),
        ({"title": ["a"]}, "title"),
        ({"owner_country": "UZ"}, "owner_country"),
        ({"owner_country": "kz"}, "owner_country"),
        ({"partner_countries": ["KG", "XX"]}, "partner_countries.1"),
        ({"partner_countries": "KG"}, "partner_countries"),
        ({"category": "space"}, "category"),
        ({"target_date": "31/12/2030"}, "target_date"),
        ({"target_amount": "lots", "target_unit": "USD"}, "target_amount"),
        ({"target_amount": "-1", "target_unit": "USD"}, "target_amount"),
        ({"target_amount": "100"}, "target_unit"),
        ({"slug": "not a slug"}, "slug"),
        ({"title": "nul\x00byte"}, "title"),
        ({"title": "lone \ud800 surrogate"}, "title"),
        ({"status": "done"}, "status"),
    ],
)
def test_bad_commitment_fields_are_400_naming_the_field(api, kz, kg, change, field):
    # Sent as ASCII JSON, so lone surrogates travel as \ud800 escapes, as a client could send.
    body = json.dumps({**GOOD, **change})
    response = api.post("/api/v1/commitments/", body, content_type="application/json")
    if field is None:
        assert response.status_code == 201
        return
    assert_problem(response, 400, field)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.org/file"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"quote": "agreed to build"}, "source"),
        ({"source": "SOURCE", "quote": "words that are not in the article"}, "quote"),
        ({"source": 999999, "quote": "agreed"}, "source"),
        ({"source": 99999999999999999999999, "quote": "agreed"}, "source"),
        ({"source": "SOURCE"}, "quote"),
        ({}, "url"),
        ({"url": "https://example.org", "observed_on": "soon"}, "observed_on"),
        ({"url": "https://example.org", "extra": 1}, "extra"),
    ],
)
def test_bad_evidence_is_400_naming_the_field_and_saves_nothing(api, kz, body, field):
    commitment = CommitmentFactory()
    source = SourceFactory()
    if body.get("source") == "SOURCE":
        body = {**body, "source": source.pk}
    response = api.post(f"/api/v1/commitments/{commitment.pk}/evidence/", body, format="json")
    assert_problem(response, 400, field)
    assert not Evidence.objects.exists()
    commitment.refresh_from_db()
    assert commitment.version == 1


def test_unknown_commitment_is_404(api, db):
    assert_problem(api.get("/api/v1/commitments/123456/"), 404)
    assert_problem(api.get("/api/v1/commitments/123456/evidence/"), 404)
    assert_problem(api.post("/api/v1/commitments/123456/transitions/", {}), 404)


def test_paths_that_do_not_exist_are_404_problems(api, db):
    assert_problem(api.get("/api/v1/nothing-here/"), 404)
    assert_problem(api.get("/api/v1/commitments/abc/"), 404)
    assert_problem(api.get("/api/v1/commitments/99999999999999999999999/"), 404)
    problem = assert_problem(api.get("/api/v1/commitments"), 404)
    assert "trailing slash" in problem["detail"]


def test_wrong_method_is_405(api, kz):
    commitment = CommitmentFactory()
    assert_problem(api.delete("/api/v1/commitments/"), 405)
    assert_problem(api.get(f"/api/v1/commitments/{commitment.pk}/transitions/"), 405)
    assert_problem(api.post("/api/v1/countries/", {}), 405)


def test_unacceptable_accept_header_is_406(api, db):
    assert_problem(api.get("/api/v1/countries/", HTTP_ACCEPT="text/html"), 406)


def test_throttled_requests_get_429_with_retry_after(api, db, monkeypatch):
    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "1/minute"}
    )
    for _ in range(2):
        assert api.get("/api/v1/countries/").status_code == 200
    response = api.get("/api/v1/countries/")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_throttling_is_on_by_default(settings):
    from django.conf import settings as django_settings

    rest = django_settings.REST_FRAMEWORK
    assert "rest_framework.throttling.UserRateThrottle" in rest["DEFAULT_THROTTLE_CLASSES"]
    assert rest["DEFAULT_THROTTLE_RATES"]["user"]


def test_invalid_token_is_401(db):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert_problem(client.get("/api/v1/commitments/"), 401)


def write_paths(commitment) -> list[tuple[str, str]]:
    detail = f"/api/v1/commitments/{commitment.pk}/"
    return [
        ("post", "/api/v1/commitments/"),
        ("put", detail),
        ("patch", detail),
        ("post", f"{detail}transitions/"),
        ("post", f"/api/v1/commitments/{commitment.pk}/evidence/"),
    ]


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_deeply_nested_json_is_400_on_every_write_and_saves_nothing(api, kz, depth):
    # 1,000 deep exhausted the JSON decoder's recursion (a 500); 40 parsed but nests past the
    # bound; the body stays small either way.
    commitment = CommitmentFactory()
    for value in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        for method, path in write_paths(commitment):
            body = f'{{"title": {value}, "owner_country": "KZ", "category": "trade"}}'
            response = getattr(api, method)(path, body, content_type="application/json")
            problem = assert_problem(response, 400)
            assert problem["type"] == "urn:tracker:problem:parse-error"
            assert "deep" in problem["detail"]
    assert Commitment.objects.count() == 1
    commitment.refresh_from_db()
    assert commitment.version == 1


def test_a_body_over_the_upload_limit_is_413_problem(api, kz, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    commitment = CommitmentFactory()
    body = json.dumps({**GOOD, "description": "x" * 20_000})
    for method, path in write_paths(commitment):
        response = getattr(api, method)(path, body, content_type="application/json")
        problem = assert_problem(response, 413)
        assert problem["type"] == "urn:tracker:problem:too-large"
        assert "10000 bytes" in problem["detail"]
    assert Commitment.objects.count() == 1
    # Just under the limit is read and parsed as usual.
    small = json.dumps({**GOOD, "description": "x" * 9_000})
    response = api.post("/api/v1/commitments/", small, content_type="application/json")
    assert response.status_code == 201


def test_authenticated_answers_are_not_stored_by_shared_caches(api, kz):
    commitment = CommitmentFactory()
    for response in (
        api.get("/api/v1/commitments/"),
        api.get(f"/api/v1/commitments/{commitment.pk}/"),
        api.get(f"/api/v1/commitments/{commitment.pk}/evidence/"),
        api.get("/api/v1/countries/"),
        api.patch(f"/api/v1/commitments/{commitment.pk}/", {"notes": "n"}, format="json"),
        api.patch(f"/api/v1/commitments/{commitment.pk}/", {"colour": "red"}, format="json"),
    ):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, response
