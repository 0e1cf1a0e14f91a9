import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.urls import reverse

from commitments import access, messages
from commitments.models import Commitment, Evidence, Review, StatusChange
from commitments.rules import Status
from tests.support.admin import (
    add_form_data,
    add_inline_row,
    add_url,
    change_form_data,
    change_url,
    changelist_url,
    staff_user,
)
from tests.support.factories import QUOTE, CommitmentFactory, SourceFactory, UserFactory
from tests.support.scoping import countries_of, shared_commitment

pytestmark = pytest.mark.django_db
# A new commitment's fields, but for its countries.
NEW = {"title_en": "New", "slug": "new", "category": "trade", "status": "announced"}


@pytest.fixture
def kg_only(kz, kg):
    return CommitmentFactory(owner_country=kg, title="KG alone", status=Status.ANNOUNCED)


def test_post_to_another_countrys_commitment_is_forbidden_and_saves_nothing(client, kg_only):
    kg_officer = staff_user("KG")
    client.force_login(kg_officer)
    data = change_form_data(
        client.get(change_url(kg_only)),
        title_en="Rewritten",
        new_status="agreed",
        status_note="Signed.",
    )
    add_inline_row(data, "evidence", source=SourceFactory().pk, quote=QUOTE)
    client.force_login(staff_user("KZ"))

    response = client.post(change_url(kg_only), data)

    assert response.status_code == 403
    kg_only.refresh_from_db()
    assert (kg_only.title, kg_only.status, kg_only.version) == ("KG alone", "announced", 1)
    assert not StatusChange.objects.exists()
    assert not Evidence.objects.exists()


def test_other_countrys_commitment_opens_read_only(client, kg_only):
    client.force_login(staff_user("KZ"))

    response = client.get(change_url(kg_only))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="new_status"' not in response.text
    assert all(not f.has_add_permission for f in response.context["inline_admin_formsets"])


def test_partner_country_staff_may_change_the_commitment(client, kz, kg):
    shared = CommitmentFactory(owner_country=kg, partners=["KZ"], status=Status.ANNOUNCED)
    client.force_login(staff_user("KZ"))
    data = change_form_data(
        client.get(change_url(shared)), new_status="agreed", status_note="Signed."
    )

    response = client.post(change_url(shared), data)

    assert response.status_code == 302
    assert Commitment.objects.get(pk=shared.pk).status == Status.AGREED


def test_superuser_changes_any_commitment(client, kg_only):
    client.force_login(UserFactory(is_superuser=True))
    data = change_form_data(
        client.get(change_url(kg_only)), new_status="cancelled", status_note="Dropped."
    )

    assert client.post(change_url(kg_only), data).status_code == 302
    assert Commitment.objects.get(pk=kg_only.pk).status == Status.CANCELLED


def test_staff_cannot_move_a_commitment_out_of_their_countries(client, kz, kg):
    own = CommitmentFactory(owner_country=kz, title="Ours")
    client.force_login(staff_user("KZ"))
    data = change_form_data(client.get(change_url(own)), owner_country="KG", title_en="Theirs")

    response = client.post(change_url(own), data)

    assert response.status_code == 200
    assert response.context["errors"][0] == [messages.OWNER_MUST_STAY_YOURS]
    own.refresh_from_db()
    assert (own.owner_country_id, own.title) == ("KZ", "Ours")


def test_staff_cannot_add_a_commitment_for_other_countries(client, kz, kg):
    client.force_login(staff_user("KZ"))
    data = add_form_data(client, **NEW, owner_country="KG")

    response = client.post(add_url(), data)

    assert response.status_code == 200
    assert not Commitment.objects.filter(slug="new").exists()


@pytest.fixture
def shared(kz, kg):
    return shared_commitment("KG", "KZ")


def form_errors(response) -> dict:
    return dict(response.context["adminform"].form.errors)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner_country": "KZ", "partner_countries": ["KG"]}, "owner_country"),  # takes it
        ({"owner_country": "UZ"}, "owner_country"),  # hands it to an uninvolved country
        ({"owner_country": "KZ", "partner_countries": []}, "owner_country"),  # drops the owner
        ({"partner_countries": ["KZ", "UZ"]}, "partner_countries"),  # changes the partners
    ],
)
def test_partner_country_staff_cannot_change_the_countries(client, shared, changes, field):
    client.force_login(staff_user("KZ"))
    data = change_form_data(client.get(change_url(shared)), title_en="Renamed", **changes)

    response = client.post(change_url(shared), data)

    assert response.status_code == 200
    assert form_errors(response) == {field: [messages.OWNER_STAFF_ONLY]}
    assert countries_of(shared) == ("KG", ["KZ"], 1)
    assert Commitment.objects.get(pk=shared.pk).title == "Shared"


def test_partner_country_staff_may_edit_with_the_countries_unchanged(client, shared):
    client.force_login(staff_user("KZ"))
    data = change_form_data(client.get(change_url(shared)), title_en="Renamed")

    assert client.post(change_url(shared), data).status_code == 302
    assert countries_of(shared) == ("KG", ["KZ"], 2)


def test_owner_country_staff_may_change_the_partners(client, shared):
    client.force_login(staff_user("KG"))
    data = change_form_data(client.get(change_url(shared)), partner_countries=["UZ"])

    assert client.post(change_url(shared), data).status_code == 302
    assert countries_of(shared) == ("KG", ["UZ"], 2)


@pytest.mark.parametrize(
    ("countries", "errors"),
    [
        # Owned by a third country, with the creator's own country as a partner.
        ({"owner_country": "KG", "partner_countries": ["KZ"]}, {"owner_country": "create"}),
        ({"owner_country": "KZ", "partner_countries": ["KZ"]}, {"partner_countries": "owner"}),
        (
            {"owner_country": "KZ", "partner_countries": ["KG", "KG"]},
            {"partner_countries": "twice"},
        ),
    ],
)
def test_add_form_refuses_a_third_owner_the_owner_as_partner_and_a_partner_twice(
    client, kz, kg, countries, errors
):
    client.force_login(staff_user("KZ"))
    data = add_form_data(client, **NEW, **countries)
    expected = {
        "create": messages.CREATE_OWN_COUNTRY_ONLY,
        "owner": access.owner_listed_as_partner("KZ"),
        "twice": access.partner_listed_twice("KG"),
    }

    response = client.post(add_url(), data)

    assert response.status_code == 200
    assert form_errors(response) == {f: [str(expected[key])] for f, key in errors.items()}
    assert not Commitment.objects.filter(slug="new").exists()


def test_staff_without_a_country_cannot_change_anything(client, kz):
    commitment = CommitmentFactory(owner_country=kz)
    client.force_login(staff_user())

    response = client.post(change_url(commitment), {"title": "x"})

    assert response.status_code == 403


def test_actions_refuse_rows_outside_the_users_countries(client, kz, kg, kg_only):
    own = CommitmentFactory(owner_country=kz, title="Ours")
    client.force_login(staff_user("KZ"))

    response = client.post(
        changelist_url(),
        {"action": "mark_reviewed", ACTION_CHECKBOX_NAME: [own.pk, kg_only.pk]},
    )

    assert response.status_code == 302
    assert list(Review.objects.values_list("commitment_id", flat=True)) == [own.pk]
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Marked 1 reviewed: “Ours”." in texts
    assert f"Refused 1 ({messages.NOT_INVOLVED_REASON}): “KG alone”." in texts


def test_statuschange_has_no_write_permission_even_for_superusers(rf):
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    history_admin = site.get_model_admin(StatusChange)
    change = StatusChange.objects.create(
        commitment=CommitmentFactory(), old_status="", new_status="announced"
    )

    assert history_admin.has_view_permission(request, change)
    assert not history_admin.has_add_permission(request)
    assert not history_admin.has_change_permission(request, change)
    assert not history_admin.has_delete_permission(request, change)


def test_superuser_cannot_delete_history_through_the_changelist(client):
    change = StatusChange.objects.create(
        commitment=CommitmentFactory(), old_status="", new_status="announced"
    )
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("admin:commitments_statuschange_changelist")
    client.post(
        url, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [change.pk], "post": "yes"}
    )
    delete_page = client.get(reverse("admin:commitments_statuschange_delete", args=[change.pk]))

    assert delete_page.status_code == 403
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_commitment_with_history_cannot_be_deleted_in_admin(client):
    commitment = CommitmentFactory()
    StatusChange.objects.create(commitment=commitment, old_status="", new_status="announced")
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("admin:commitments_commitment_delete", args=[commitment.pk])

    page = client.get(url)
    response = client.post(url, {"post": "yes"})

    assert "status change" in page.text
    assert response.status_code == 403
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_staff_cannot_delete_commitments(client, kz):
    commitment = CommitmentFactory(owner_country=kz)
    client.force_login(staff_user("KZ"))

    response = client.post(
        reverse("admin:commitments_commitment_delete", args=[commitment.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Commitment.objects.filter(pk=commitment.pk).exists()
