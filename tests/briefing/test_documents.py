"""The briefing's two documents: what they say, in which language, with which fonts, and that the
same inputs give the same bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdfium2
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from commitments.briefing import content, render
from commitments.models import Commitment
from commitments.rules import OPEN_STATUSES

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "briefing"
# Kazakh letters the document's own words use (һ is rare; the font test covers it).
KAZAKH_LETTERS = set("әғқңөұүі")
TWELFTH_COUNCIL = "igc-bishkek-2024"  # Bishkek, 5 December 2024: the council after the 11th


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # lines wrap where the page ends them


def _png_pages(data: bytes, name: str) -> list[Path]:
    """Every page as a PNG under test-artifacts/briefing/ (looked at by people, kept by CI)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-page*.png"):  # a longer run's pages would linger
        old.unlink()
    document = pypdfium2.PdfDocument(data)
    paths = []
    for index in range(len(document)):
        path = ARTIFACTS / f"{name}-page{index + 1}.png"
        document[index].render(scale=1.5).to_pil().save(path)
        paths.append(path)
    return paths


def _embedded_fonts(data: bytes) -> dict[str, bool]:
    """Each font the pages use, by name, and whether its file is inside the PDF."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


@pytest.mark.django_db
def test_the_twelfth_councils_briefing_in_russian_opens_in_python_docx_with_its_sections(seeded):
    data = render.docx(content.build(content.Scope(meeting=TWELFTH_COUNCIL), language="ru"))

    document = docx.Document(io.BytesIO(data))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:5] == [
        "Справка о ходе выполнения обязательств",
        "Сводные данные",
        "По статусам",
        "По ходу достижения цели",
        "Обязательства",
    ]
    expected = list(
        Commitment.objects.filter(meeting__held_on__lte="2024-12-05", status__in=OPEN_STATUSES)
        .order_by("meeting__held_on", "id")
        .values_list("title_ru", flat=True)
    )
    assert len(expected) == 12  # the 11th council's open commitments and the 12th's
    overview = document.tables[3]
    assert [c.text for c in overview.rows[0].cells] == [
        "№",
        "Обязательство",
        "Статус",
        "Ход достижения цели",
        "Срок исполнения",
        "Ответственные исполнители",
    ]
    assert [row.cells[1].text for row in overview.rows[1:]] == expected
    assert headings[5:] == [f"{n}. {title}" for n, title in enumerate(expected, start=1)]
    summary = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert summary["Обязательств в справке"] == "12"
    by_status = {row.cells[0].text: row.cells[1].text for row in document.tables[1].rows[1:]}
    assert sum(int(v) for v in by_status.values()) == 12
    text = "\n".join(p.text for p in document.paragraphs)
    # Since the 11th council (23 September 2023), the previous meeting.
    assert "Начало отчётного периода: 23 сентября 2023 г." in text
    assert "г.." not in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "ky"])
def test_the_pdf_embeds_its_font_and_renders_each_language(seeded, language):
    briefing = content.build(content.Scope(meeting=TWELFTH_COUNCIL), language=language)
    data = render.pdf(briefing)

    text = _pdf_text(data)
    fonts = _embedded_fonts(data)
    assert fonts and all(fonts.values()), fonts
    # Only the faces of the briefing's own @font-face (DejaVu Sans shipped with the app, subset
    # and embedded): no font of the machine.
    assert {name.split("+", 1)[1] for name in fonts} <= {
        "Briefing-Sans",
        "Briefing-Sans-Bold",
        "Briefing-Sans-Oblique",
    }
    if language == "kk":
        assert "Міндеттемелердің орындалу барысы туралы анықтама" in text
        assert set(text.lower()) >= KAZAKH_LETTERS
    elif language == "ky":
        assert "Милдеттенмелердин аткарылышынын жүрүшү жөнүндө маалымкат" in text
        assert set("өүң") <= set(text.lower())
    else:
        assert "Справка о ходе выполнения обязательств" in text
        assert "Довести взаимный товарооборот до 2 млрд долларов США" in text
    pages = _png_pages(data, f"twelfth-council-{language}")
    assert len(pages) >= 3
    assert all(path.stat().st_size > 10_000 for path in pages)


@pytest.mark.django_db
def test_a_commitments_entry_says_what_changed_slipped_diverged_and_who_is_responsible(record):
    briefing = content.build(
        content.Scope(meeting="council-12"), language="en", since=content.parse_since("2023-09-23")
    )

    titles = [e.title for e in briefing.entries]
    # Announced at the 11th or the 12th and still open; not the 13th's, not the completed one.
    assert titles == ["Raise mutual trade to 2 billion USD", "Exchange hydrological data"]
    trade = briefing.entries[0]
    assert trade.status == "Agreed"
    assert trade.original_target_date == "31 Dec 2030"
    assert trade.target_date == "31 Dec 2031"
    assert trade.postponements == 1
    assert "Ratification took longer." in trade.postponement_lines[0]
    assert trade.diverge
    assert [(p.country, p.status) for p in trade.positions] == [
        ("Kyrgyzstan", "Agreed"),
        ("Kazakhstan", "In progress"),
    ] or [(p.country, p.status) for p in trade.positions] == [
        ("Kazakhstan", "In progress"),
        ("Kyrgyzstan", "Agreed"),
    ]
    assert trade.instrument == "Agreement"
    assert {(p.country, p.signed, p.ratified) for p in trade.instrument_parties} == {
        ("Kazakhstan", "23 Sep 2023", "1 Mar 2024"),
        ("Kyrgyzstan", "23 Sep 2023", "—"),
    }
    assert trade.responsible == "Aigerim Nurlanova"
    kinds = [c.kind for c in trade.changes]
    assert {"Status", "Evidence", "Figure", "Target date"} <= set(kinds)
    assert any("Announced → Agreed" in c.text for c in trade.changes)
    assert any("agreed to build a trade and logistics complex" in c.quote for c in trade.changes)
    assert trade.rates and trade.rates[0].reporter == "Kazakhstan"
    assert trade.rates[0].observed != "—"  # 200 million a year, from the two figures
    assert briefing.summary.total == 2
    assert briefing.summary.slipped == 1
    assert briefing.summary.diverging == 1


@pytest.mark.django_db
def test_changes_before_the_chosen_date_are_left_out(record):
    later = content.build(
        content.Scope(meeting="council-12"), language="en", since=content.parse_since("2100-01-01")
    )
    assert all(entry.changes == [] for entry in later.entries)
    assert later.summary.changed == 0


@pytest.mark.django_db
def test_a_country_briefing_holds_its_open_commitments_as_owner_or_partner(record):
    kg = content.build(content.Scope(country="KG"), language="ru")
    assert sorted(e.id for e in kg.entries) == sorted([record["trade"].pk, record["water"].pk])
    assert "Кыргызстан" in kg.scope_line


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_same_inputs_give_the_same_bytes(record, fmt):
    scope = content.Scope(meeting="council-12")
    first = render.render(content.build(scope, language="ky"), fmt)
    second = render.render(content.build(scope, language="ky"), fmt)
    assert first == second
    if fmt == "pdf":
        assert b"/CreationDate" not in first


@pytest.mark.django_db
def test_the_docx_is_dated_by_the_record_not_the_clock(record):
    briefing = content.build(content.Scope(meeting="council-12"), language="en")
    properties = docx.Document(io.BytesIO(render.docx(briefing))).core_properties
    assert properties.modified.replace(tzinfo=None) == briefing.as_of.replace(
        microsecond=0, tzinfo=None
    )


def _more_commitments(record, count: int) -> None:
    """`count` more commitments like the trade one, each with history, evidence and figures."""
    from commitments import services
    from commitments.actors import SystemActor
    from tests.support.factories import create_commitment

    for n in range(count):
        extra = create_commitment(
            actor=SystemActor.SEED_LOADER,
            title=f"Another task {n}",
            owner_country=record["kz"],
            partner_countries=[record["kg"]],
            meeting=record["trade"].meeting,
            responsible_users=[record["officer"]],
            target_date="2030-01-01",
        )
        services.commitment_change_status(
            commitment=extra, new_status="agreed", actor=SystemActor.SEED_LOADER, note="Agreed."
        )


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_number_of_commitments(record):
    scope = content.Scope(meeting="council-12")
    with CaptureQueriesContext(connection) as few:
        small = content.build(scope, language="ru")
    _more_commitments(record, 6)
    with CaptureQueriesContext(connection) as many:
        large = content.build(scope, language="ru")
    assert len(large.entries) == len(small.entries) + 6
    # The meeting, the previous meeting, the record's last change, the commitments with owner and
    # meeting, then partners, responsible users, status changes, target-date changes, evidence,
    # figures, the parties' accounts and the instrument's dates: 12, whatever their number.
    assert len(few) == len(many) == 12, [q["sql"][:80] for q in many.captured_queries]


def test_the_font_has_every_kazakh_and_kyrgyz_letter():
    from fontTools.ttLib import TTFont

    for path in (render.FONT_REGULAR, render.FONT_BOLD):
        cmap = TTFont(path).getBestCmap()
        letters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ" + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
        assert [c for c in letters if ord(c) not in cmap] == []
    assert re.search("DejaVu", (render.FONTS / "LICENSE").read_text())


@pytest.mark.django_db
def test_the_pdf_shows_slippage_diverging_accounts_and_the_instrument(record):
    briefing = content.build(
        content.Scope(meeting="council-12"), language="ru", since=content.parse_since("2023-09-23")
    )
    data = render.pdf(briefing)
    text = _pdf_text(data)
    for words in (
        "Сведения сторон расходятся",
        "Первоначальный срок исполнения: 31.12.2030",
        "Действующий срок исполнения: 31.12.2031",
        "Международный документ: Соглашение",
        "Ратифицировано (утверждено)",
        "Aigerim Nurlanova",
        "Фактический темп",
    ):
        assert words in text
    _png_pages(data, "entry-ru")
