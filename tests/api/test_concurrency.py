"""ETag and If-Match: no write silently overwrites another."""

import pytest

from commitments import services
from commitments.models import Evidence, StatusChange
from tests.support.factories import CommitmentFactory

WRITES = [
    ("put", "", {"title": "Replaced", "owner_country": "KZ", "category": "energy"}),
    ("patch", "", {"title": "Renamed"}),
    ("post", "transitions/", {"status": "agreed", "note": "Signed."}),
    ("post", "evidence/", {"url": "https://example.org/news"}),
]


def state(commitment):
    commitment.refresh_from_db()
    return (
        commitment.title,
        commitment.status,
        commitment.version,
        Evidence.objects.filter(commitment=commitment).count(),
        StatusChange.objects.filter(commitment=commitment).count(),
    )


@pytest.mark.parametrize(("method", "suffix", "body"), WRITES)
def test_write_with_a_stale_if_match_is_412_and_changes_nothing(api, kz, method, suffix, body):
    commitment = CommitmentFactory()
    url = f"/api/v1/commitments/{commitment.pk}/{suffix}"
    old_etag = api.get(f"/api/v1/commitments/{commitment.pk}/")["ETag"]
    api.patch(f"/api/v1/commitments/{commitment.pk}/", {"notes": "someone else"}, format="json")
    before = state(commitment)

    response = getattr(api, method)(url, body, format="json", HTTP_IF_MATCH=old_etag)

    assert response.status_code == 412, response.content
    assert response.json()["status"] == 412
    assert response.json()["type"] == "urn:tracker:problem:precondition-failed"
    assert state(commitment) == before


@pytest.mark.parametrize(("method", "suffix", "body"), WRITES)
def test_write_with_the_current_if_match_succeeds(api, kz, method, suffix, body):
    commitment = CommitmentFactory()
    etag = api.get(f"/api/v1/commitments/{commitment.pk}/")["ETag"]
    url = f"/api/v1/commitments/{commitment.pk}/{suffix}"
    response = getattr(api, method)(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code in (200, 201), response.content
    commitment.refresh_from_db()
    assert commitment.version == 2


def test_write_without_if_match_is_accepted(api, kz):
    commitment = CommitmentFactory(version=7)
    response = api.patch(f"/api/v1/commitments/{commitment.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 200
    assert response["ETag"] == f'"{commitment.pk}-8"'


@pytest.mark.parametrize("header", ['W/"{pk}-1"', '"{pk}-2"', "garbage", '"999-1"'])
def test_weak_or_foreign_etags_do_not_match(api, kz, header):
    commitment = CommitmentFactory()
    response = api.patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"title": "x"},
        format="json",
        HTTP_IF_MATCH=header.format(pk=commitment.pk),
    )
    assert response.status_code == 412
    assert state(commitment)[2] == 1


def test_if_match_star_and_lists_containing_the_current_tag_match(api, kz):
    commitment = CommitmentFactory()
    url = f"/api/v1/commitments/{commitment.pk}/"
    assert api.patch(url, {"title": "a"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    listed = f'"{commitment.pk}-1", "{commitment.pk}-2"'
    assert api.patch(url, {"title": "b"}, format="json", HTTP_IF_MATCH=listed).status_code == 200


def test_version_changed_under_the_lock_is_412(api, kz, monkeypatch):
    """Two writers read version 1; the first wins, the second loses under the row lock."""
    from commitments.api import views

    commitment = CommitmentFactory()
    url = f"/api/v1/commitments/{commitment.pk}/"
    real = views.expected_version

    def read_then_lose_the_race(request, obj):
        version = real(request, obj)
        type(obj).objects.filter(pk=obj.pk).update(version=obj.version + 1)
        return version

    monkeypatch.setattr(views, "expected_version", read_then_lose_the_race)
    response = api.patch(
        url, {"title": "late"}, format="json", HTTP_IF_MATCH=f'"{commitment.pk}-1"'
    )
    assert response.status_code == 412
    assert response.json()["detail"] == services.version_conflict(2)
    # The same condition as a stale If-Match caught before the lock: one problem type for both.
    assert response.json()["type"] == "urn:tracker:problem:precondition-failed"
    commitment.refresh_from_db()
    assert commitment.title != "late"


def test_adding_evidence_answers_with_the_commitments_new_etag(api, kz):
    commitment = CommitmentFactory()
    etag = api.get(f"/api/v1/commitments/{commitment.pk}/")["ETag"]
    url = f"/api/v1/commitments/{commitment.pk}/evidence/"

    response = api.post(url, {"url": "https://example.org/a"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 201
    assert response["ETag"] == f'"{commitment.pk}-2"'
    assert api.get(f"/api/v1/commitments/{commitment.pk}/")["ETag"] == response["ETag"]
    # The new ETag is good for the next write without reading the commitment again.
    again = api.patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"notes": "n"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert again.status_code == 200
