"""Who reads which note: a commitment's `notes` are the curators' own and never leave admin and the
API; evidence notes and status-change notes are public and written for readers."""

import datetime as dt
import html as html_module
import re

from commitments.models import Commitment, Evidence, StatusChange
from commitments.rules import Status
from tests.support.factories import CommitmentFactory, EvidenceFactory, StatusChangeFactory

CURATOR_NOTE = "Owner guessed from article 004; check with the KG desk before publishing"
# Shorthand only curators know: seed article numbers, file names, abbreviations.
CURATOR_SHORTHAND = re.compile(r"\b(00[0-9]|IGC|ITLC|ADB|PM)\b|\.txt\b")


def test_a_commitments_curator_notes_appear_on_no_public_page_or_feed(client, db):
    commitment = CommitmentFactory(
        slug="solar",
        title="Build solar plants",
        notes=CURATOR_NOTE,
        target_date=dt.date(2027, 1, 1),
    )
    StatusChangeFactory(
        commitment=commitment, new_status=Status.ANNOUNCED, note="Announced in Bishkek."
    )
    EvidenceFactory(commitment=commitment, note="Reported by the Kyrgyz side.")

    pages = [
        commitment.get_absolute_url(),
        "/",
        "/?q=solar",
        "/dashboard/",
        "/feeds/status-changes.atom",
        "/feeds/target-dates.ics",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "article 004" not in response.content.decode(), url
    detail = client.get(commitment.get_absolute_url()).content.decode()
    assert "Announced in Bishkek." in detail and "Reported by the Kyrgyz side." in detail


def test_seeded_public_notes_are_written_for_readers(client, seeded):
    public = [*Evidence.objects.values_list("note", flat=True)]
    public += StatusChange.objects.values_list("note", flat=True)

    shorthand = [note for note in public if CURATOR_SHORTHAND.search(note)]

    assert len(public) > 60
    assert shorthand == []


def test_seeded_commitment_pages_show_no_curator_notes(client, seeded):
    for commitment in Commitment.objects.exclude(notes=""):
        html = html_module.unescape(client.get(commitment.get_absolute_url()).content.decode())
        first_sentence = commitment.notes.split(". ")[0]
        assert first_sentence not in html, commitment.slug
