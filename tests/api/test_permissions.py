"""Who may write what through the API, in one table: actors x writes x the commitment's owner."""

import pytest

from commitments import access, messages
from commitments.models import Commitment, Evidence, StatusChange
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, CountryFactory
from tests.support.scoping import countries_of, shared_commitment

ACTORS = ["anonymous", "reader", "kz_officer", "kg_officer", "superuser"]


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
    own_country = {"kz_officer": "KZ", "kg_officer": "KG"}[actor]
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


# --- A commitment's countries: KZ owns it, KG is its partner, UZ is not involved ----------------


@pytest.fixture
def shared(kz, kg):
    return shared_commitment("KZ", "KG")


@pytest.mark.parametrize(
    ("actor", "body", "refusal"),
    [
        # The partner takes the commitment for itself.
        (
            "kg_officer",
            {"owner_country": "KG", "partner_countries": ["KZ"]},
            messages.OWNER_STAFF_ONLY,
        ),
        # The partner hands it to a country that is not involved.
        ("kg_officer", {"owner_country": "UZ"}, messages.OWNER_STAFF_ONLY),
        # The partner drops the owner out of the record.
        ("kg_officer", {"owner_country": "KG", "partner_countries": []}, messages.OWNER_STAFF_ONLY),
        # The partner changes who the partners are.
        ("kg_officer", {"partner_countries": ["KG", "UZ"]}, messages.OWNER_STAFF_ONLY),
        # The owner's staff may not give the commitment away to a country that is not theirs.
        (
            "kz_officer",
            {"owner_country": "KG", "partner_countries": ["KZ"]},
            messages.OWNER_MUST_STAY_YOURS,
        ),
    ],
)
def test_only_the_owner_countrys_staff_may_change_the_countries(
    request, shared, actor, body, refusal
):
    response = client_for(request.getfixturevalue(actor)).patch(
        f"/api/v1/commitments/{shared.pk}/", body, format="json"
    )

    assert response.status_code == 403, response.content
    assert response.json()["detail"] == refusal
    assert countries_of(shared) == ("KZ", ["KG"], 1)


@pytest.mark.parametrize(
    ("actor", "body", "owner", "partners"),
    [
        ("kz_officer", {"partner_countries": ["KG", "UZ"]}, "KZ", ["KG", "UZ"]),
        ("kz_officer", {"partner_countries": []}, "KZ", []),
        ("superuser", {"owner_country": "UZ", "partner_countries": ["KZ"]}, "UZ", ["KZ"]),
        # A partner may send the countries back unchanged (as a full PUT-like PATCH does).
        (
            "kg_officer",
            {"owner_country": "KZ", "partner_countries": ["KG"], "title": "New"},
            "KZ",
            ["KG"],
        ),
    ],
)
def test_allowed_country_changes(request, shared, actor, body, owner, partners):
    response = client_for(request.getfixturevalue(actor)).patch(
        f"/api/v1/commitments/{shared.pk}/", body, format="json"
    )

    assert response.status_code == 200, response.content
    assert countries_of(shared) == (owner, partners, 2)


@pytest.mark.parametrize(
    ("owner", "partners"),
    [("KG", ["KZ"]), ("UZ", ["KZ"]), ("UZ", [])],
)
def test_a_new_commitments_owner_must_be_one_of_the_creators_countries(
    kz_officer, kz, kg, owner, partners
):
    CountryFactory(code="UZ")
    body = {"title": "Not ours", "owner_country": owner, "partner_countries": partners}

    response = client_for(kz_officer).post(
        "/api/v1/commitments/", {**body, "category": "trade"}, format="json"
    )

    assert response.status_code == 403, response.content
    assert response.json()["detail"] == messages.CREATE_OWN_COUNTRY_ONLY
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("partners", "message"),
    [
        (["KZ"], access.owner_listed_as_partner("KZ")),
        (["KG", "KZ"], access.owner_listed_as_partner("KZ")),
        (["KG", "KG"], access.partner_listed_twice("KG")),
    ],
)
def test_create_refuses_the_owner_as_partner_and_a_partner_twice(
    kz_officer, kz, kg, partners, message
):
    body = {"title": "Ours", "owner_country": "KZ", "category": "trade"}

    response = client_for(kz_officer).post(
        "/api/v1/commitments/", {**body, "partner_countries": partners}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"]["partner_countries"] == [str(message)]
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("actor", "body", "message"),
    [
        ("kz_officer", {"partner_countries": ["KG", "KZ"]}, access.owner_listed_as_partner("KZ")),
        ("superuser", {"owner_country": "KG"}, access.owner_listed_as_partner("KG")),
        # Unchanged as a set, so no owner's permission is needed: still a 400.
        ("kg_officer", {"partner_countries": ["KG", "KG"]}, access.partner_listed_twice("KG")),
    ],
)
def test_update_refuses_the_owner_as_partner_and_a_partner_twice(
    request, shared, actor, body, message
):
    response = client_for(request.getfixturevalue(actor)).patch(
        f"/api/v1/commitments/{shared.pk}/", body, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"]["partner_countries"] == [str(message)]
    assert countries_of(shared) == ("KZ", ["KG"], 1)
