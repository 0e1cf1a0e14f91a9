"""Issue 25, item 6: a Russian, Kazakh or Kyrgyz reader meets no English the system wrote:
status names in refusals, countries and places, periods, proposed meetings, system notes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from commitments import messages, rules
from commitments.ingestion.models import Suggestion
from commitments.ingestion.services import suggestion_accept
from commitments.models import Meeting, StatusChange
from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    MeetingFactory,
    ObservationFactory,
    SourceFactory,
    UserFactory,
    create_commitment,
)
from tests.support.public import page_html

pytestmark = pytest.mark.django_db


def test_a_refused_status_move_names_the_statuses_in_russian():
    with translation.override("ru"):
        moved = str(rules.transition_refusal("announced", "completed"))
        already = str(rules.transition_refusal("stalled", "stalled"))
    assert moved == (
        "Переход из статуса «Объявлено» в статус «Выполнено» недопустим. Допустимые переходы "
        "из «Объявлено»: «Согласовано», «Приостановлено», «Отменено»."
    )
    assert already == (
        "Обязательство уже имеет статус «Приостановлено». Допустимые переходы: «Выполняется», "
        "«Отменено»."
    )


def test_countries_and_the_meeting_place_in_the_pages_language(client, kz, kg):
    meeting = MeetingFactory(location="Bishkek, Kyrgyzstan")
    commitment = CommitmentFactory(slug="solar", partners=["KG"], meeting=meeting)
    listing = page_html(client.get("/ru/"))
    assert "Казахстан" in listing and "Кыргызстан" in listing
    detail = page_html(client.get("/ru/commitments/" + commitment.slug + "/"))
    assert "Бишкек, Кыргызстан" in detail
    kazakh = page_html(client.get("/kk/commitments/" + commitment.slug + "/"))
    assert "Бішкек, Қырғызстан" in kazakh
    for html in (listing, detail, kazakh):
        assert "Kyrgyzstan" not in html and "Kazakhstan" not in html


def test_a_period_labelled_in_english_is_named_from_its_dates_on_a_russian_page(client, kz):
    commitment = CommitmentFactory(slug="trade", target_amount=Decimal("100"), target_unit="USD")
    ObservationFactory(
        evidence__commitment=commitment,
        value=Decimal("40"),
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 7, 31),
        period_label="January–July 2023",
    )
    russian = page_html(client.get("/ru/commitments/" + commitment.slug + "/"))
    assert "январь–июль 2023 г." in russian
    assert "January" not in russian
    kazakh = page_html(client.get("/kk/commitments/" + commitment.slug + "/"))
    assert "2023 жылғы қаңтар–шілде" in kazakh
    english = page_html(client.get("/commitments/trade/"))
    assert "January–July 2023" in english


def test_a_meeting_proposed_from_a_russian_article_keeps_its_number_in_every_language(kz, kg):
    sentence = "В Астане прошло XIII заседание Межправительственного совета."
    source = SourceFactory(language="ru", text=sentence)
    suggestion = Suggestion.objects.create(
        source=source,
        kind="meeting",
        quote=sentence,
        start=0,
        end=len(sentence),
        score=0.6,
        method="test",
        method_version="1",
        payload={
            "meeting": None,
            "name": "Intergovernmental Council meeting",
            "location": "Astana",
            "held_on": "2024-12-05",
        },
        fingerprint="meeting",
    )
    with translation.override("ru"):
        suggestion_accept(suggestion=suggestion, actor=UserFactory(countries=["KZ", "KG"]))
    meeting = Meeting.objects.get()
    assert (meeting.name_en, meeting.name_ru, meeting.name_kk, meeting.name_ky) == (
        "13th meeting of the Intergovernmental Council",
        "XIII заседание Межправительственного совета",
        "Үкіметаралық кеңестің XIII отырысы",
        "Өкмөттөр аралык кеңештин XIII жыйыны",
    )


def test_a_system_note_is_stored_as_a_code_and_read_in_the_readers_language(client, kz):
    with translation.override("ru"):
        commitment = create_commitment(actor=UserFactory(countries=["KZ"]), slug="noted")
    assert StatusChange.objects.get(commitment=commitment).note == messages.NOTE_RECORDED
    assert "Міндеттеме енгізілді." in page_html(client.get("/kk/commitments/noted/"))
    assert "Обязательство внесено." in page_html(client.get("/ru/commitments/noted/"))
    assert "Commitment recorded." in page_html(client.get("/commitments/noted/"))


def test_evidence_accepted_from_a_suggestion_notes_it_in_the_readers_language(client, kz):
    commitment = CommitmentFactory(slug="evidenced")
    EvidenceFactory(commitment=commitment, note=messages.NOTE_SUGGESTION_ACCEPTED)
    kazakh = page_html(client.get("/kk/commitments/evidenced/"))
    assert "Мақаладан алынған ұсыныс негізінде енгізілді." in kazakh
    assert "system:" not in kazakh
