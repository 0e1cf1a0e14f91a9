"""Control characters (but tab and line breaks) are refused where text comes in: the API, admin
and the seed file (in test_seeding); those stored before are cleaned by a migration, and the feeds
write any stored value. One "signed\\u0001" note used to take every Atom feed down (500)."""

import importlib

import feedparser
import pytest
from django.apps import apps

from commitments.models import Commitment, Source, StatusChange
from tests.support.admin import logged_in_staff
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db
MIGRATION = "0007_text_without_control_characters"


def test_a_transition_note_with_a_control_character_is_refused_by_the_api(kz_officer):
    commitment = CommitmentFactory()
    response = client_for(kz_officer).post(
        f"/api/v1/commitments/{commitment.pk}/transitions/",
        {"status": "agreed", "note": "signed\u0001"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "U+0001" in response.json()["errors"]["note"][0]
    assert Commitment.objects.get().status == "announced"
    assert not StatusChange.objects.filter(note__contains="signed").exists()


def test_tabs_and_line_breaks_stay_allowed(kz_officer):
    commitment = CommitmentFactory()
    response = client_for(kz_officer).post(
        f"/api/v1/commitments/{commitment.pk}/transitions/",
        {"status": "agreed", "note": "Signed:\tin Bishkek,\r\nby both."},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_a_source_title_with_a_control_character_is_refused_by_the_api(kz_officer, settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    response = client_for(kz_officer).post(
        "/api/v1/sources/",
        {"published_on": "2025-01-01", "title": "News\u001b[2J", "text": "An article."},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "title" in response.json()["errors"]
    assert not Source.objects.exists()


def test_admin_refuses_a_control_character_as_a_form_error(client, settings):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        "/admin/commitments/source/add/",
        {"title": "Plant\u0007 news", "published_on": "2025-01-01", "text": "An article."},
    )
    assert response.status_code == 200
    assert "U+0007" in response.context["adminform"].form.errors["title"][0]
    assert not Source.objects.exists()


@pytest.mark.parametrize("path", ["/feeds/status-changes.atom", "/feeds/status-changes/kz.atom"])
def test_the_atom_feeds_write_a_stored_control_character_without_failing(client, kz, path):
    commitment = CommitmentFactory(slug="road", title="Road\u0002 works")
    StatusChangeFactory(commitment=commitment, note="signed\u0001")
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert entry.title.startswith("Road works")
    assert "signed" in entry.summary


def test_the_migration_cleans_stored_control_characters_but_not_verbatim_text(db):
    migration = importlib.import_module(f"commitments.migrations.{MIGRATION}")
    commitment = CommitmentFactory(title="Road\u0002 works")
    change = StatusChangeFactory(commitment=commitment, note="signed\u0001\tin Osh\n")
    source = Source.objects.create(
        title="A\u0003", published_on="2025-01-01", text="Text\u000c kept", content_hash="x" * 64
    )
    migration.clean(apps, None)
    commitment.refresh_from_db()
    change.refresh_from_db()
    source.refresh_from_db()
    assert commitment.title == "Road works"
    assert change.note == "signed\tin Osh\n"
    assert (source.title, source.text) == ("A", "Text\u000c kept")
