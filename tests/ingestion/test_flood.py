"""One upload must not flood every country's queue: a source has one suggestion per distinct
proposal and at most INGESTION_MAX_SUGGESTIONS_PER_SOURCE; lists never read sources' texts; and
staff see and decide only suggestions their countries may decide."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.ingestion.models import Suggestion
from commitments.ingestion.tasks import analyse_source
from commitments.models import Source, source_content_hash
from tests.support import bombs
from tests.support.admin import logged_in_staff
from tests.support.api import client_for
from tests.support.factories import CountryFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/commitments/suggestion/"

ANNOUNCEMENT = "Kazakhstan and Kyrgyzstan agreed to build a new border checkpoint at {} by 2027. "
PLACES = [
    "Karasu", "Ak-Zhol", "Kordai", "Chaldovar", "Merke", "Kyzyl-Bel", "Karkyra", "Sary-Zhaz",
    "Ken-Bulun", "Tokmok", "Talas", "Chon-Kapka",
]  # fmt: skip


def source_of(text: str) -> Source:
    return Source.objects.create(
        title="Flood",
        published_on="2025-01-01",
        language="en",
        text=text,
        content_hash=source_content_hash(text),
    )


def test_one_announcement_repeated_is_one_suggestion():
    # 100,000 characters: some 1,150 times the same sentence (the 5 MB gave 74,883).
    source = source_of(bombs.repeated_announcement(100_000))
    analyse_source(source.pk)
    assert Suggestion.objects.filter(source=source).count() == 1
    analyse_source(source.pk)  # analysed again: still one
    assert Suggestion.objects.filter(source=source).count() == 1


def test_a_source_proposes_at_most_the_cap(settings):
    settings.INGESTION_MAX_SUGGESTIONS_PER_SOURCE = 5
    source = source_of("".join(ANNOUNCEMENT.format(place) for place in PLACES))
    analyse_source(source.pk)
    assert Suggestion.objects.filter(source=source).count() == 5


def _suggestions(kz, kg):
    source = SourceFactory(text="The 7th meeting of the Intergovernmental Council in Astana.")
    quote = source.text
    common = {"source": source, "quote": quote, "start": 0, "end": len(quote), "score": 1}
    meeting = Suggestion.objects.create(
        kind="meeting", method="t", method_version="1", fingerprint="m", **common,
        payload={"name": "Intergovernmental Council", "held_on": "2025-01-01"},
    )  # fmt: skip
    commitment = Suggestion.objects.create(
        kind="commitment", method="t", method_version="1", fingerprint="c", **common,
        payload={"title": "A road", "countries": ["KZ", "KG"]},
    )  # fmt: skip
    return meeting, commitment


@pytest.fixture
def uz_officer(kz, kg):
    CountryFactory(code="UZ")
    return UserFactory(username="uz-officer", countries=["UZ"])


def test_an_officer_of_an_uninvolved_country_neither_sees_nor_decides_kz_kg_suggestions(
    kz, kg, uz_officer, kz_officer
):
    meeting, commitment = _suggestions(kz, kg)
    uz = client_for(uz_officer)
    assert uz.get("/api/v1/suggestions/").json()["results"] == []
    response = uz.post(f"/api/v1/suggestions/{meeting.pk}/accept/", {}, format="json")
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == "pending"
    listed = client_for(kz_officer).get("/api/v1/suggestions/").json()["results"]
    assert {row["id"] for row in listed} == {meeting.pk, commitment.pk}


def test_admin_queue_hides_kz_kg_suggestions_from_an_uninvolved_country(client, kz, kg):
    _suggestions(kz, kg)
    CountryFactory(code="UZ")
    logged_in_staff(client, "UZ", username="uz-staff")
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_the_admin_queue_filtered_by_source_never_reads_a_sources_text(client, kz, kg):
    meeting, _commitment = _suggestions(kz, kg)
    logged_in_staff(client, "KZ", username="kz-staff")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{QUEUE}?source__id__exact={meeting.source_id}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    quote = connection.ops.quote_name
    text_column = f"{quote('commitments_source')}.{quote('text')}"
    assert not [q["sql"] for q in queries.captured_queries if text_column in q["sql"]]
