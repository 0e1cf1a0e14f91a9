# ruff: noqa: E501  (example sentences read best one per line)
"""Each extractor in English and Russian on a small record built here (no seed data), and
scoping of the review queue in the API and admin."""

import datetime as dt
from decimal import Decimal

import pytest

from commitments.ingestion import services
from commitments.ingestion.analysis import Analysis, analyse, build_index
from commitments.ingestion.models import MatchTerm, Suggestion
from commitments.models import Commitment, Evidence, Meeting, ProgressObservation
from tests.support.admin import logged_in_staff
from tests.support.api import client_for
from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    MeetingFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2025, 11, 20)


@pytest.fixture
def plant():
    """A Kyrgyz commitment titled in English only."""
    return CommitmentFactory(
        title_en="Launch the Tash-Kumyr ferroalloy plant",
        title_ru="",
        owner_country__code="KG",
    )


@pytest.fixture
def trade():
    return CommitmentFactory(
        title_en="Raise bilateral trade turnover to 2 billion dollars",
        title_ru="Довести двусторонний товарооборот до 2 млрд долларов",
        target_amount=Decimal("2000000000"),
        target_unit="USD",
    )


@pytest.fixture
def unrelated():
    return [
        CommitmentFactory(title_en="Open a Kazakh-language school in Osh"),
        CommitmentFactory(title_en="Open a joint investment fund in Bishkek"),
    ]


def run(text, language):
    source = SourceFactory(text=text, language=language, published_on=PUBLISHED)
    return source, Analysis(source, build_index()).run()


def by_kind(proposals, kind):
    return [p for p in proposals if p.kind == kind]


def evidence_for(proposals):
    """The commitments the evidence proposals point at (an id where there is no such commitment)."""
    ids = {p.commitment_id for p in by_kind(proposals, "evidence")}
    known = Commitment.objects.in_bulk(ids)
    return {known.get(i, i) for i in ids}


# --- Evidence -------------------------------------------------------------------------------------


def test_english_article_finds_english_title(plant, trade, unrelated):
    _, found = run(
        "Officials visited Bishkek on Monday. Work at the Tash-Kumyr ferroalloy plant resumed after "
        "the investors paid for new furnaces. Nothing else was decided.",
        "en",
    )
    assert evidence_for(found) == {plant}


def test_russian_article_finds_english_title_by_transliteration(plant, trade, unrelated):
    source, found = run(
        "Министры встретились в Бишкеке. Ферросплавный завод в Таш-Кумыре выйдет на проектную мощность в следующем году. Остальные вопросы отложены.",
        "ru",
    )
    assert evidence_for(found) == {plant}
    (evidence,) = by_kind(found, "evidence")
    assert "Таш-Кумыре" in evidence.sentence.text
    assert source.text[evidence.sentence.start : evidence.sentence.end] == evidence.sentence.text


def test_russian_article_finds_commitment_through_its_russian_translation(plant, trade, unrelated):
    _, found = run(
        "Стороны обсудили, как довести двусторонний товарооборот до двух миллиардов долларов. Других решений не было.",
        "ru",
    )
    assert evidence_for(found) == {trade}


def test_a_match_term_staff_added_points_at_its_commitment(plant, unrelated):
    MatchTerm.objects.create(commitment=plant, term="ТКФЗ")
    _, found = run("Руководство ТКФЗ отчиталось о запуске второй печи.", "ru")
    assert evidence_for(found) == {plant}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The weather in the capital was mild and the markets were calm.", "en"),
        ("Погода в столице была тёплой, рынки работали спокойно.", "ru"),
    ],
)
def test_an_article_about_nothing_in_the_record_suggests_nothing(
    plant, trade, unrelated, text, language
):
    _, found = run(text, language)
    assert found == []


# --- Figures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "value", "period"),
    [
        ("Bilateral trade turnover reached 1.3 billion U.S. dollars in 2022.", "en", "1300000000.00", ("2022-01-01", "2022-12-31")),
        ("Двусторонний товарооборот за восемь месяцев составил $1,4 млрд.", "ru", "1400000000.00", ("2025-01-01", "2025-08-31")),
    ],
)  # fmt: skip
def test_a_figure_becomes_an_observation_of_the_target(
    trade, unrelated, text, language, value, period
):
    _, found = run(text, language)
    (observation,) = by_kind(found, "observation")
    assert observation.commitment_id == trade.pk
    assert observation.payload["value"] == value
    assert (observation.payload["period_start"], observation.payload["period_end"]) == period
    assert observation.payload["unit"] == "USD"
    assert observation.payload["conflicts_with"] == []


def test_a_different_figure_for_the_same_period_is_flagged(trade):
    evidence = EvidenceFactory(commitment=trade)
    held = ProgressObservation.objects.create(
        commitment=trade, evidence=evidence, value=Decimal("1250000000"), unit="USD",
        period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31),
    )  # fmt: skip
    _, found = run("Bilateral trade turnover reached 1.3 billion U.S. dollars in 2022.", "en")
    (observation,) = by_kind(found, "observation")
    assert observation.payload["conflicts_with"] == [
        {"observation": held.pk, "value": "1250000000.00", "unit": "USD"}
    ]
    held.refresh_from_db()
    assert held.value == Decimal("1250000000")  # never replaced


def test_a_target_is_not_proposed_as_an_observation(trade):
    _, found = run("Стороны намерены довести товарооборот до 3 млрд долларов к 2030 году.", "ru")
    assert by_kind(found, "observation") == []


# --- New commitments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "category", "countries"),
    [
        ("Kazakhstan and Kyrgyzstan agreed to build a new railway line between Balykchy and the Kazakh border by 2028.", "en", "border_transport", ["KZ", "KG"]),
        ("Казахстан и Кыргызстан планируют построить совместный оптово-распределительный центр для сельскохозяйственной продукции.", "ru", "agriculture", ["KZ", "KG"]),
    ],
)  # fmt: skip
def test_an_announcement_the_record_lacks_is_a_new_commitment(
    plant, trade, text, language, category, countries
):
    _, found = run(text, language)
    (proposal,) = by_kind(found, "commitment")
    assert proposal.payload["category"] == category
    assert proposal.payload["countries"] == countries
    assert len(proposal.payload["title"]) >= 12


def test_an_announcement_of_a_known_commitment_is_evidence_not_new(plant):
    _, found = run(
        "The parties agreed to launch the Tash-Kumyr ferroalloy plant next spring.", "en"
    )
    assert by_kind(found, "commitment") == []
    assert [p.commitment_id for p in by_kind(found, "evidence")] == [plant.pk]


# --- Meetings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The 13th meeting of the Intergovernmental Council was held in Astana on 18 November.",
            "en",
        ),
        ("18 ноября в Астане прошло 13-е заседание Межправительственного совета.", "ru"),
    ],
)
def test_the_meeting_reported_is_linked_when_known(text, language):
    known = MeetingFactory(
        key="igc-13", name="13th meeting of the Intergovernmental Council",
        held_on=dt.date(2025, 11, 18), location="Astana",
    )  # fmt: skip
    _, found = run(text, language)
    (meeting,) = by_kind(found, "meeting")
    assert meeting.payload["meeting"] == known.key


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The 13th meeting of the Intergovernmental Council was held in Astana on 18 November.",
            "en",
        ),
        ("18 ноября в Астане прошло 13-е заседание Межправительственного совета.", "ru"),
    ],
)
def test_an_unknown_meeting_is_proposed_with_place_and_date(text, language):
    MeetingFactory(key="igc-12", held_on=dt.date(2024, 12, 5), location="Bishkek")
    _, found = run(text, language)
    (meeting,) = by_kind(found, "meeting")
    assert meeting.payload["meeting"] is None
    assert meeting.payload["location"] == "Astana"
    assert meeting.payload["held_on"] == "2025-11-18"
    assert meeting.payload["name"] == "13th meeting of the Intergovernmental Council"


# --- Accepting ------------------------------------------------------------------------------------


def stored_suggestion(text, language, kind):
    source = SourceFactory(text=text, language=language, published_on=PUBLISHED)
    analyse(source, build_index())
    return Suggestion.objects.get(source=source, kind=kind)


def accepted_by_kz_staff(suggestion, changes=None):
    return services.suggestion_accept(
        suggestion=suggestion,
        actor=UserFactory(username="kz-staff", countries=["KZ"]),
        changes=changes,
    )


def test_accepting_a_figure_records_the_reviewers_value_with_its_sentence_as_evidence(trade):
    text = "Bilateral trade turnover reached 1.3 billion U.S. dollars in 2022."
    suggestion = stored_suggestion(text, "en", "observation")
    accepted = accepted_by_kz_staff(suggestion, {"value": "1250000000"})
    assert accepted.status == "accepted"
    observation = ProgressObservation.objects.get()
    assert (observation.commitment, observation.value, observation.unit) == (
        trade, Decimal("1250000000"), "USD",
    )  # fmt: skip
    assert (observation.period_start, observation.period_end) == (
        dt.date(2022, 1, 1), dt.date(2022, 12, 31),
    )  # fmt: skip
    assert observation.evidence.quote == text


def test_a_figure_accepted_with_a_bad_value_names_that_field_and_records_nothing(trade):
    from django.core.exceptions import ValidationError

    suggestion = stored_suggestion(
        "Bilateral trade turnover reached 1.3 billion U.S. dollars in 2022.", "en", "observation"
    )
    with pytest.raises(ValidationError) as refused:
        accepted_by_kz_staff(suggestion, {"value": "about a billion", "period_start": "last year"})
    assert refused.value.message_dict == {"value": ["Enter a number."]}
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert not Evidence.objects.exists() and not ProgressObservation.objects.exists()


def test_accepting_an_unknown_meeting_records_it_and_links_the_suggestion():
    suggestion = stored_suggestion(
        "The 13th meeting of the Intergovernmental Council was held in Astana on 18 November.",
        "en",
        "meeting",
    )
    accepted = accepted_by_kz_staff(suggestion)
    meeting = Meeting.objects.get(key=accepted.payload["meeting"])
    assert (meeting.name, meeting.location, meeting.held_on) == (
        "13th meeting of the Intergovernmental Council", "Astana", dt.date(2025, 11, 18),
    )  # fmt: skip


def test_a_proposed_meeting_is_named_in_the_review_queue_and_its_messages(client):
    suggestion = stored_suggestion(
        "The 13th meeting of the Intergovernmental Council was held in Astana on 18 November.",
        "en",
        "meeting",
    )
    named = "Meeting: 13th meeting of the Intergovernmental Council"
    logged_in_staff(client, "KZ", username="kz-staff")

    queue = client.get("/admin/commitments/suggestion/").content.decode()
    accepted = client.post(
        f"/admin/commitments/suggestion/{suggestion.pk}/change/",
        {"quote": suggestion.quote, "decision": "accept"},
        follow=True,
    )

    assert str(suggestion) == named
    assert f'aria-label="Select this object for an action - {named}"' in queue
    assert [f">{named}</a>" in str(m) for m in accepted.context["messages"]] == [True]


RAILWAY = "Kazakhstan and Kyrgyzstan agreed to build a new railway line between Balykchy and the Kazakh border by 2028."


def test_accepting_a_new_commitment_records_it_with_the_sentence_as_its_evidence(plant, trade):
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    accepted = accepted_by_kz_staff(suggestion)
    created = accepted.commitment
    assert accepted.status == "accepted"
    assert (created.owner_country_id, created.category, created.status) == (
        "KZ",
        "border_transport",
        "announced",
    )
    assert [c.code for c in created.partner_countries.all()] == ["KG"]
    assert created.title_en == suggestion.payload["title"]
    assert created.announced_on == PUBLISHED
    assert [e.quote for e in created.evidence.all()] == [RAILWAY]
    assert created.status_changes.get().new_status == "announced"


def test_a_new_commitment_accepted_through_the_api_takes_the_reviewers_title(plant, trade):
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    kz = client_for(UserFactory(username="kz-staff", countries=["KZ"]))
    response = kz.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/",
        {
            "title": "Build the Balykchy railway line to the Kazakh border",
            "category": "infrastructure",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    created = Commitment.objects.get(pk=response.json()["commitment"])
    assert (created.title_en, created.category) == (
        "Build the Balykchy railway line to the Kazakh border", "infrastructure",
    )  # fmt: skip


def test_a_proposed_new_commitment_has_no_commitment_yet_and_the_schema_allows_it(plant, trade):
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    kz = client_for(UserFactory(username="kz-staff", countries=["KZ"]))
    assert kz.get(f"/api/v1/suggestions/{suggestion.pk}/").json()["commitment"] is None
    schema = kz.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["Suggestion"]["properties"]["commitment"]["nullable"]


def test_a_title_the_record_refuses_is_a_form_error_in_admin(client, plant, trade):
    # The service names the model's column (title_en); the review form has only "title".
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    logged_in_staff(client, "KZ", username="kz-staff")
    url = f"/admin/commitments/suggestion/{suggestion.pk}/change/"
    response = client.post(
        url, {"quote": suggestion.quote, "decision": "accept", "title": "Build a railway " * 30}
    )
    assert response.status_code == 200
    assert "300" in str(response.context["adminform"].form.errors["title"])
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert Commitment.objects.count() == 2  # plant and trade only


def test_kg_staff_accept_a_new_commitment_of_both_countries_as_its_owner(plant, trade):
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    kg = client_for(UserFactory(username="kg-staff", countries=["KG"]))
    response = kg.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    created = Commitment.objects.get(pk=response.json()["commitment"])
    assert created.owner_country_id == "KG"
    assert [c.code for c in created.partner_countries.all()] == ["KZ"]


def test_kg_staff_cannot_accept_a_new_commitment_only_kazakhstan_makes(plant, trade):
    suggestion = stored_suggestion(
        "Kazakhstan plans to build a new grain terminal in Kostanay by 2027.", "en", "commitment"
    )
    assert suggestion.payload["countries"] == ["KZ"]
    kg = client_for(UserFactory(username="kg-staff", countries=["KG"]))
    response = kg.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {}, format="json")
    assert response.status_code in (403, 404)
    assert Commitment.objects.count() == 2  # plant and trade only


def test_an_announcement_the_reviewer_ties_to_a_recorded_commitment_is_its_evidence(plant, trade):
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    accepted = services.suggestion_accept(
        suggestion=suggestion,
        actor=UserFactory(username="kg-staff", countries=["KG"]),
        changes={"commitment": plant.pk},
    )
    assert accepted.commitment == plant
    assert Commitment.objects.count() == 2
    assert [e.quote for e in plant.evidence.all()] == [RAILWAY]


WHOLESALE = "Казахстан и Кыргызстан планируют построить совместный оптово-распределительный центр для сельскохозяйственной продукции."


def test_a_new_commitment_from_a_russian_article_gets_a_readable_slug(plant, trade):
    suggestion = stored_suggestion(WHOLESALE, "ru", "commitment")
    accepted = accepted_by_kz_staff(suggestion)
    # Not "commitment" (nor the title's digits alone): the title transliterated.
    assert accepted.commitment.slug.startswith("postroit-sovmestnyi-optovo-raspredelitelnyi")


def test_a_new_commitment_from_a_russian_article_keeps_its_title_as_the_russian_text(plant, trade):
    from commitments import translation

    suggestion = stored_suggestion(WHOLESALE, "ru", "commitment")
    created = accepted_by_kz_staff(suggestion).commitment
    proposed = suggestion.payload["title"]
    # English is required, so it holds the article's words until staff translate them.
    assert (created.title_en, created.title_ru) == (proposed, proposed)
    assert translation.untranslated(created, ["title"], "ru") == []


def test_a_reviewers_own_title_for_a_russian_article_is_the_english_one_only(plant, trade):
    suggestion = stored_suggestion(WHOLESALE, "ru", "commitment")
    created = accepted_by_kz_staff(
        suggestion, {"title": "Build a joint wholesale centre for farm produce"}
    ).commitment
    assert (created.title_en, created.title_ru) == (
        "Build a joint wholesale centre for farm produce", None,
    )  # fmt: skip


def test_an_english_article_fills_only_the_english_title(plant, trade):
    suggestion = stored_suggestion(RAILWAY, "en", "commitment")
    created = accepted_by_kz_staff(suggestion).commitment
    assert created.title_ru is None


def test_two_articles_on_the_same_session_accepted_record_one_meeting():
    english = stored_suggestion(
        "The 13th meeting of the Intergovernmental Council was held in Astana on 18 November.",
        "en",
        "meeting",
    )
    russian = stored_suggestion(
        "18 ноября в Астане прошло 13-е заседание Межправительственного совета.", "ru", "meeting"
    )
    reviewer = UserFactory(username="kz-staff", countries=["KZ"])
    first = services.suggestion_accept(suggestion=english, actor=reviewer)
    second = services.suggestion_accept(suggestion=russian, actor=reviewer)
    assert Meeting.objects.count() == 1
    assert second.payload["meeting"] == first.payload["meeting"]


def test_a_corrected_period_drops_the_articles_words_for_the_old_one(trade):
    suggestion = stored_suggestion(
        "Bilateral trade turnover reached 1.3 billion U.S. dollars in the first half of 2022.",
        "en",
        "observation",
    )
    assert suggestion.payload["period_label"] == "first half 2022"
    accepted_by_kz_staff(suggestion, {"period_end": "2022-09-30"})
    observation = ProgressObservation.objects.get()
    assert (observation.period_end, observation.period_label) == (dt.date(2022, 9, 30), "")


def test_a_period_accepted_as_proposed_keeps_the_articles_words(trade):
    suggestion = stored_suggestion(
        "Bilateral trade turnover reached 1.3 billion U.S. dollars in the first half of 2022.",
        "en",
        "observation",
    )
    accepted_by_kz_staff(suggestion, {"period_start": "2022-01-01", "period_end": "2022-06-30"})
    assert ProgressObservation.objects.get().period_label == "first half 2022"


# --- Scoping --------------------------------------------------------------------------------------


@pytest.fixture
def kz_only_suggestion():
    commitment = CommitmentFactory(
        slug="kz-road", title_en="Repair the Almaty ring road section", owner_country__code="KZ"
    )
    source = SourceFactory(text="The Almaty ring road section was repaired in October.")
    return Suggestion.objects.create(
        source=source, kind="evidence", commitment=commitment, quote=source.text, start=0,
        end=len(source.text), score=0.9, method="keyword-index", method_version="1.0",
        fingerprint="kz-road",
    )  # fmt: skip


def test_kg_staff_cannot_accept_a_kz_only_suggestion_through_the_api(kz_only_suggestion):
    kg = client_for(UserFactory(username="kg-staff", countries=["KG"]))
    url = f"/api/v1/suggestions/{kz_only_suggestion.pk}/"
    assert kg.post(url + "accept/", {}, format="json").status_code in (403, 404)
    assert kg.post(url + "reject/", {"reason": "no"}, format="json").status_code in (403, 404)
    kz_only_suggestion.refresh_from_db()
    assert kz_only_suggestion.status == "pending"
    assert not Evidence.objects.exists()
    kz = client_for(UserFactory(username="kz-staff", countries=["KZ"]))
    assert kz.post(url + "accept/", {}, format="json").status_code == 200
    assert Evidence.objects.get().commitment == kz_only_suggestion.commitment


def test_kg_staff_cannot_accept_a_kz_only_suggestion_in_admin(client, kz_only_suggestion):
    logged_in_staff(client, "KG", username="kg-staff")
    url = f"/admin/commitments/suggestion/{kz_only_suggestion.pk}/change/"
    # Not in a KG member's queue: the change page redirects to the admin index ("not found").
    response = client.post(url, {"quote": kz_only_suggestion.quote, "decision": "accept"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(
        "/admin/commitments/suggestion/",
        {"action": "accept_selected", "_selected_action": [kz_only_suggestion.pk]},
    )
    assert response.status_code == 302
    kz_only_suggestion.refresh_from_db()
    assert kz_only_suggestion.status == "pending"
    assert not Evidence.objects.exists()


def test_the_service_refuses_an_outsider(kz_only_suggestion):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.suggestion_accept(
            suggestion=kz_only_suggestion, actor=UserFactory(username="kg2", countries=["KG"])
        )
    assert not Evidence.objects.exists()


def test_accepting_with_an_unknown_commitment_is_a_400(kz_only_suggestion):
    kz = client_for(UserFactory(username="kz-staff", countries=["KZ"]))
    response = kz.post(
        f"/api/v1/suggestions/{kz_only_suggestion.pk}/accept/",
        {"commitment": 999999},
        format="json",
    )
    assert response.status_code == 400
    assert "commitment" in response.json()["errors"]


# --- Adding a source in admin ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [("empty.txt", b" \n "), ("program.exe", b"MZ\x90\x00"), ("binary.txt", b"\x00\xff\x00\xfe"),
     ("fake.pdf", b"%PDF-1.4 truncated"), ("big.txt", b"word " * (1024 * 1024 + 1))],
)  # fmt: skip
def test_admin_refuses_a_bad_file_and_saves_nothing(client, settings, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commitments.models import Source

    settings.INGESTION_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        "/admin/commitments/source/add/",
        {"title": "An article", "published_on": "2025-11-20", "upload": SimpleUploadedFile(name, data)},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with its error
    assert response.context["adminform"].form.non_field_errors()
    assert not Source.objects.exists()


def test_admin_staff_adds_a_pasted_article(client, plant):
    from commitments.models import Source

    logged_in_staff(client, "KG", username="kg-staff")
    response = client.post(
        "/admin/commitments/source/add/",
        {"title": "Plant news", "published_on": "2025-11-20",
         "text": "Work at the Tash-Kumyr ferroalloy plant resumed after a pause of two months."},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = Source.objects.get()
    assert source.language == "en"
    assert source.text.startswith("Work at the Tash-Kumyr")


# --- Text from PDF files --------------------------------------------------------------------------

# pypdf gives a PDF's lines as they were laid out: a sentence runs on after a line break.
WRAPPED = (
    "Казахстан и Кыргызстан планируют создать совместную лабораторию по контролю качества\n"
    "воды на реке Чу к 2026 году."
)


def pdf_with_line(line: bytes) -> bytes:
    """A one-page PDF showing `line` in Helvetica, whose codes 1 to 5 are the glyphs of the
    ligatures fi, fl, ff, ffi and ffl (as a typesetter's font would set them)."""
    content = b"BT /F1 12 Tf 72 720 Td (" + line + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl /ff /ffi /ffl] >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def test_a_pdfs_ligatures_become_their_letters_and_nothing_else_changes():
    from commitments.ingestion.extraction import text_from_file

    # Codes 1-5 are ligature glyphs; \xbd is "½" and \xa0 a no-break space (WinAnsi), which
    # a compatibility normalisation (NFKC) would change too.
    pdf = pdf_with_line(b"The \\001nal \\002ow: e\\003ect, o\\004ce, ba\\005ed; \xbd\xa0km.")

    assert text_from_file("report.pdf", pdf) == "The final flow: effect, office, baffled; ½\xa0km."


def test_a_ligature_in_pasted_text_stays_as_pasted():
    from commitments.ingestion.extraction import extract

    assert extract(text="The \ufb01nal report.").text == "The \ufb01nal report."


def test_a_sentence_wrapped_over_two_lines_is_proposed_whole(plant, trade):
    _, found = run(WRAPPED, "ru")
    (proposal,) = by_kind(found, "commitment")
    assert proposal.sentence.text == WRAPPED
    assert proposal.payload["title"] == (
        "Создать совместную лабораторию по контролю качества воды на реке Чу к 2026 году"
    )
    assert proposal.payload["target_date"] == "2026-12-31"


def test_a_wrapped_quote_sent_back_by_a_browser_is_accepted_in_admin(client, plant, trade):
    suggestion = stored_suggestion(WRAPPED, "ru", "commitment")
    logged_in_staff(client, "KZ", username="kz-staff")
    response = client.post(
        f"/admin/commitments/suggestion/{suggestion.pk}/change/",
        # A browser sends a textarea's line breaks as CR LF.
        {"quote": WRAPPED.replace("\n", "\r\n"), "title": suggestion.payload["title"],
         "decision": "accept"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Evidence.objects.get().quote == WRAPPED


def test_the_review_queue_marks_a_quote_in_another_language_than_the_pages(client, plant, trade):
    russian = stored_suggestion(WRAPPED, "ru", "commitment")
    english = stored_suggestion(RAILWAY, "en", "commitment")
    logged_in_staff(client, "KZ", username="kz-staff")

    queue = client.get("/admin/commitments/suggestion/").content.decode()
    russian_page = client.get(f"/admin/commitments/suggestion/{russian.pk}/change/")
    english_page = client.get(f"/admin/commitments/suggestion/{english.pk}/change/")

    assert f'<span lang="ru">{russian.quote[:120]}</span>' in queue
    assert f"<span>{english.quote[:120]}</span>" in queue
    assert '<p class="suggestion-context" lang="ru">' in russian_page.content.decode()
    assert 'lang="ru"' in str(russian_page.context["adminform"].form["quote"])
    assert '<p class="suggestion-context">' in english_page.content.decode()
    assert "lang=" not in str(english_page.context["adminform"].form["quote"])


def test_a_long_title_cut_for_the_slug_does_not_end_in_a_hyphen(plant, trade):
    suggestion = stored_suggestion(
        "The parties agreed to build a joint wholesale distribution centre for agricultural products near the Karasu checkpoint by 2027.",
        "en",
        "commitment",
    )
    created = accepted_by_kz_staff(suggestion).commitment
    assert created.slug.endswith("-by")
