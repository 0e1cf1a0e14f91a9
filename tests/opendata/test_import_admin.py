"""The admin's import: upload a package, read the dry run's plan, apply exactly that plan; scoped
to the officer's countries, refused past the upload limit, and never applying a plan other than
the one shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commitments.events.models import Event
from commitments.models import Commitment, StaffProfile
from tests.opendata.packages import edited, export, read_rows
from tests.support.admin import changelist_url, logged_in_staff

pytestmark = pytest.mark.django_db

NEW_TITLE = "A new English title from the ministry"


@pytest.fixture
def package(seeded):
    return export()


@pytest.fixture
def retitled(package):
    def retitle(rows):
        rows[0]["title_en"] = NEW_TITLE

    return edited(package, commitments=retitle)


def upload(client, data: bytes, name="package.zip"):
    return client.post(reverse("opendata_import"), {"package": SimpleUploadedFile(name, data)})


def test_the_changelist_links_to_the_import(client, seeded):
    logged_in_staff(client, "KZ")
    page = client.get(changelist_url()).content.decode()
    assert f'href="{reverse("opendata_import")}"' in page


def test_upload_shows_the_plan_and_apply_saves_it(client, retitled):
    officer = logged_in_staff(client, "KZ")
    slug = read_rows(retitled, "commitments")[0]["slug"]

    response = upload(client, retitled)

    assert response.status_code == 200
    page = response.content.decode()
    assert "data/commitments.csv: 0 to create, 1 to change, 20 unchanged, 0 refused." in page
    assert f"data/commitments.csv, row 2 ({slug}): to change title_en:" in page
    assert Commitment.objects.get(slug=slug).title_en != NEW_TITLE  # a dry run
    token = response.context["token"]
    assert token

    applied = client.post(reverse("opendata_import"), {"token": token, "apply": "1"})

    assert applied.status_code == 302
    assert applied["Location"] == changelist_url()
    assert Commitment.objects.get(slug=slug).title_en == NEW_TITLE
    event = Event.objects.filter(commitment_slug=slug).latest("id")
    assert (event.type, event.actor_user_id) == ("commitment.updated", officer.pk)
    again = client.post(reverse("opendata_import"), {"token": token, "apply": "1"})
    assert again.status_code == 302 and again["Location"] == reverse("opendata_import")


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("ru", "data/commitments.csv: будет создано — 0, будет изменено — 1, без изменений — 20"),
        ("kk", "data/commitments.csv: құрылады — 0, өзгертіледі — 1, өзгеріссіз — 20"),
        ("ky", "data/commitments.csv: түзүлөт — 0, өзгөртүлөт — 1, өзгөрүүсүз — 20"),
    ],
)
def test_the_plan_is_shown_in_the_officers_language(client, retitled, language, counts):
    officer = logged_in_staff(client, "KZ")
    StaffProfile.objects.update_or_create(user=officer, defaults={"language": language})

    page = upload(client, retitled).content.decode()

    assert counts in page
    assert "to change" not in page


def test_an_officer_of_another_country_gets_every_change_refused(client, retitled, kz):
    logged_in_staff(client, "UZ")

    response = upload(client, retitled)

    page = response.content.decode()
    assert "data/commitments.csv, row 2: You may change only commitments that your country" in page
    assert response.context["token"] == ""
    assert not Commitment.objects.filter(title_en=NEW_TITLE).exists()


def test_staff_without_the_right_to_change_commitments_may_not_import(client, seeded):
    from tests.support.factories import UserFactory

    client.force_login(UserFactory(username="viewer", countries=["KZ"]))
    assert client.get(reverse("opendata_import")).status_code == 403


def test_an_upload_over_the_limit_is_stopped(client, package, settings):
    settings.OPENDATA_IMPORT_MAX_UPLOAD_BYTES = 100_000
    logged_in_staff(client, "KZ")

    response = upload(client, package + b"\0" * 200_000)

    assert response.status_code == 413
    assert "package.zip: the file is too large (at most 0.1 MB)" in response.content.decode()


def test_a_plan_that_changed_since_the_dry_run_is_not_applied(client, retitled):
    logged_in_staff(client, "KZ")
    slug = read_rows(retitled, "commitments")[0]["slug"]
    token = upload(client, retitled).context["token"]
    Commitment.objects.filter(slug=slug).update(title_en="Changed meanwhile by someone")

    response = client.post(reverse("opendata_import"), {"token": token, "apply": "1"})

    assert response.status_code == 200
    assert "the record changed since the dry run" in response.content.decode()
    assert Commitment.objects.get(slug=slug).title_en == "Changed meanwhile by someone"


def test_another_users_token_applies_nothing(client, retitled):
    logged_in_staff(client, "KZ")
    token = upload(client, retitled).context["token"]
    client.logout()
    logged_in_staff(client, "KZ", username="second-officer")

    response = client.post(reverse("opendata_import"), {"token": token, "apply": "1"})

    assert response["Location"] == reverse("opendata_import")
    assert not Commitment.objects.filter(title_en=NEW_TITLE).exists()


def test_an_unreadable_upload_is_named_and_nothing_is_kept(client, package):
    logged_in_staff(client, "KZ")
    text = "slug,title_en\r\nmemorandum,Меморандум о сотрудничестве\r\n"

    response = upload(client, text.encode("cp1251"), name="commitments.csv")

    assert response.status_code == 400
    assert (
        "data/commitments.csv: the file is not UTF-8 (it looks like Windows-1251; line 2): "
        "save it as UTF-8." in response.content.decode()
    )
    assert response.context["token"] == ""
    assert "opendata_import" not in client.session


def test_the_upload_needs_the_csrf_token(retitled):
    client = Client(enforce_csrf_checks=True)
    logged_in_staff(client, "KZ")

    response = upload(client, retitled)

    assert response.status_code == 403
    assert not Commitment.objects.filter(title_en=NEW_TITLE).exists()
