"""Who may write what through the API, in one table: actors x writes x the commitment's owner."""

import pytest

from commitments.models import Commitment, Evidence, StatusChange
from tests.api.conftest import client_for
from tests.factories import CommitmentFactory

ACTORS = ["anonymous", "reader", "kz_staff", "kg_staff", "superuser"]


def do(client, action, commitment):
    base = f"/api/v1/commitments/{commitment.pk}/"
    owner = commitment.owner_country_id
    if action == "create":
        body = {"title": "A new commitment", "owner_country": owner, "category": "trade"}
        return client.post("/api/v1/commitments/", body, format="json")
    if action == "update":
        body = {"title": "Replaced", "owner_country": owner, "category": "energy"}
        return client.put(base, body, format="json")
    if action == "partial_update":
        return client.patch(base, {"title": "Renamed"}, format="json")
    if action == "transition":
        body = {"status": "agreed", "note": "Signed."}
        return client.post(f"{base}transitions/", body, format="json")
    if action == "add_evidence":
        body = {"url": "https://example.org/news/1", "note": "Reported."}
        return client.post(f"{base}evidence/", body, format="json")
    if action == "delete":
        return client.delete(base)
    raise AssertionError(action)


SUCCESS = {
    "create": 201,
    "update": 200,
    "partial_update": 200,
    "transition": 200,
    "add_evidence": 201,
    "delete": 204,
}


def expected(actor, action, owner):
    if actor == "anonymous":
        return 401
    if actor == "reader":
        return 403
    if actor == "superuser":
        return SUCCESS[action]
    own_country = {"kz_staff": "KZ", "kg_staff": "KG"}[actor]
    if action == "delete" or owner != own_country:
        return 403
    return SUCCESS[action]


def snapshot():
    return (
        list(Commitment.objects.order_by("pk").values_list("pk", "title", "status", "version")),
        Evidence.objects.count(),
        StatusChange.objects.count(),
    )


@pytest.mark.parametrize("owner", ["KG", "KZ"])
@pytest.mark.parametrize("action", list(SUCCESS))
@pytest.mark.parametrize("actor", ACTORS)
def test_write_permission_matrix(request, actor, action, owner, kz, kg):
    user = None if actor == "anonymous" else request.getfixturevalue(actor)
    # A KG-only commitment (owner KG, no partners) or a KZ-owned one (owner KZ, no partners).
    commitment = CommitmentFactory(owner_country=kz if owner == "KZ" else kg)
    before = snapshot()

    response = do(client_for(user), action, commitment)

    want = expected(actor, action, owner)
    assert response.status_code == want, response.content
    if want >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == want
        assert snapshot() == before
    else:
        assert snapshot() != before
