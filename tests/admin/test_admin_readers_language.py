"""Issue 25: a Russian, Kazakh or Kyrgyz officer's admin names countries and places in their
language and shows a note the system wrote in it, never the code it is stored as."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from commitments import messages
from commitments.models import PartyPosition, StaffProfile
from tests.support.admin import logged_in_staff
from tests.support.api import client_for
from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    MeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH_NAMES = ("Kazakhstan", "Kyrgyzstan", "Bishkek")
COUNTRIES = {
    "ru": ("Казахстан (KZ)", "Кыргызстан (KG)", "Бишкек, Кыргызстан"),
    "kk": ("Қазақстан (KZ)", "Қырғызстан (KG)", "Бішкек, Қырғызстан"),
    "ky": ("Казакстан (KZ)", "Кыргызстан (KG)", "Бишкек, Кыргызстан"),
}
ACCEPTED = {
    "ru": "Принято на основании предложения, сформированного при обработке источника.",
    "kk": "Мақаладан алынған ұсыныс негізінде енгізілді.",
    "ky": "Макаладан алынган сунуштун негизинде киргизилди.",
}


@pytest.fixture
def record(kz, kg):
    """A Kazakh commitment with a Kyrgyz partner, agreed at a meeting in Bishkek, with evidence
    accepted from a suggestion and the Kyrgyz party's own account."""
    meeting = MeetingFactory(location="Bishkek, Kyrgyzstan")
    commitment = CommitmentFactory(
        slug="bridge", owner_country=kz, partners=["KG"], meeting=meeting
    )
    EvidenceFactory(commitment=commitment, note=messages.NOTE_SUGGESTION_ACCEPTED)
    PartyPosition.objects.create(
        commitment=commitment, country=kg, status="agreed", reported_on=dt.date(2024, 12, 5)
    )
    return commitment


def officer_reading(client, code: str):
    officer = logged_in_staff(client, "KZ", is_superuser=True)
    StaffProfile.objects.create(user=officer, language=code)
    return officer


def english_outside_inputs(html: str) -> list[str]:
    """English names on the page, but for the inputs holding the record's English text."""
    html = re.sub(r'<input [^>]*name="(name|location)"[^>]*>', "", html)
    return [name for name in ENGLISH_NAMES if name in html]


@pytest.mark.parametrize("code", ["ru", "kk", "ky"])
def test_the_commitment_admin_names_countries_in_the_officers_language(client, record, code):
    officer_reading(client, code)
    kazakhstan, kyrgyzstan, _place = COUNTRIES[code]
    changelist = client.get(reverse("admin:commitments_commitment_changelist")).content.decode()
    assert kazakhstan in changelist and kyrgyzstan in changelist  # the country filters
    change = client.get(reverse("admin:commitments_commitment_change", args=[record.pk]))
    page = change.content.decode()
    assert f">{kazakhstan}</option>" in page  # the owner's select
    assert f">{kyrgyzstan}</option>" in page  # the party position's country
    history = client.get(reverse("admin:commitments_commitment_history", args=[record.pk]))
    autocomplete = client.get(
        "/admin/autocomplete/",
        {"app_label": "commitments", "model_name": "commitment", "field_name": "owner_country"},
    )
    assert {"id": "KZ", "text": kazakhstan} in autocomplete.json()["results"]
    for response in (changelist, page, history.content.decode()):
        assert english_outside_inputs(response) == []


@pytest.mark.parametrize("code", ["ru", "kk", "ky"])
def test_the_country_admin_shows_the_officers_names_beside_the_records_english(
    client, record, code
):
    officer_reading(client, code)
    kazakhstan, kyrgyzstan, _place = COUNTRIES[code]
    changelist = client.get(reverse("admin:commitments_country_changelist")).content.decode()
    assert f'<td class="field-local_name">{kazakhstan.removesuffix(" (KZ)")}</td>' in changelist
    assert english_outside_inputs(changelist) == []
    change = client.get(reverse("admin:commitments_country_change", args=["KG"])).content.decode()
    assert kyrgyzstan.removesuffix(" (KG)") in change
    # The record's English name stays editable, labelled as what it is.
    assert 'value="Kyrgyzstan"' in change
    assert english_outside_inputs(change) == []


@pytest.mark.parametrize("code", ["ru", "kk", "ky"])
def test_the_meeting_admin_names_the_place_in_the_officers_language(client, record, code):
    officer_reading(client, code)
    place = COUNTRIES[code][2]
    changelist = client.get(reverse("admin:commitments_meeting_changelist")).content.decode()
    assert f'<td class="field-place">{place}</td>' in changelist
    change = client.get(
        reverse("admin:commitments_meeting_change", args=[record.meeting_id])
    ).content.decode()
    assert place in change
    for html in (changelist, change):
        assert english_outside_inputs(html) == []


@pytest.mark.parametrize("code", ["ru", "kk", "ky"])
def test_evidence_rows_show_a_system_note_in_the_officers_language(client, record, code):
    officer_reading(client, code)
    page = client.get(reverse("admin:commitments_commitment_change", args=[record.pk]))
    html = page.content.decode()
    assert f'<div class="readonly">{ACCEPTED[code]}</div>' in html
    assert "system:" not in html


def test_a_note_someone_wrote_is_shown_as_written(client, record):
    EvidenceFactory(commitment=record, note="Confirmed by the ministry.")
    officer_reading(client, "kk")
    html = client.get(reverse("admin:commitments_commitment_change", args=[record.pk]))
    assert '<div class="readonly">Confirmed by the ministry.</div>' in html.content.decode()


@pytest.mark.parametrize("code", ["ru", "kk", "ky"])
def test_the_api_gives_a_system_note_in_the_readers_language(record, code):
    api = client_for(UserFactory(username="root", is_superuser=True))
    detail = api.get(f"/api/v1/commitments/{record.pk}/", HTTP_ACCEPT_LANGUAGE=code).json()
    (listed,) = api.get("/api/v1/commitments/", HTTP_ACCEPT_LANGUAGE=code).json()["results"]
    (evidence,) = api.get("/api/v1/evidence/", HTTP_ACCEPT_LANGUAGE=code).json()["results"]
    assert [e["note"] for e in detail["evidence"]] == [ACCEPTED[code]]
    assert [e["note"] for e in listed["evidence"]] == [ACCEPTED[code]]
    assert evidence["note"] == ACCEPTED[code]


@pytest.mark.parametrize("code", ["ru", "kk", "ky"])
def test_the_public_page_gives_a_system_note_in_the_readers_language(client, record, code):
    html = client.get(f"/{code}/commitments/bridge/").content.decode()
    assert ACCEPTED[code] in html
    assert "system:" not in html
