"""Content in several languages: a commitment's title and description and a meeting's name exist
per language, English is the fallback and a page that falls back says so; search finds Russian
text on both databases; quotes are checked verbatim in any script."""

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from commitments import services
from commitments.messages import QUOTE_NOT_IN_SOURCE
from commitments.models import Commitment, InstrumentParty
from tests.support.admin import change_form_data, change_url, logged_in_staff, open_change_page
from tests.support.factories import (
    CommitmentFactory,
    EvidenceFactory,
    MeetingFactory,
    ObservationFactory,
    SourceFactory,
    StatusChangeFactory,
    UserFactory,
    create_commitment,
)

pytestmark = pytest.mark.django_db

FALLBACK_NOTICE = "This commitment has no text in this language yet; it is shown in English."
DESCRIPTION_NOTICE = (
    "This commitment's description has no text in this language yet; it is shown in English."
)


def in_russian(message: str) -> str:
    with translation.override("ru"):
        return translation.gettext(message)


def russian_page(client, commitment):
    with translation.override("ru"):
        return client.get(commitment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")


def test_a_russian_page_shows_the_russian_title_description_and_meeting(client, kz):
    meeting = MeetingFactory(name="Council session", name_ru="Заседание совета")
    commitment = CommitmentFactory(
        title="Transport corridor",
        title_ru="Транспортный коридор",
        description="A corridor.",
        description_ru="Коридор Алматы – Бишкек.",
        meeting=meeting,
    )

    html = russian_page(client, commitment).text

    assert "<h1>Транспортный коридор</h1>" in html
    assert "Коридор Алматы – Бишкек." in html
    assert "Заседание совета" in html
    assert "Transport corridor" not in html
    assert "translation-fallback" not in html


def test_a_page_without_its_language_shows_english_and_says_so(client, kz):
    meeting = MeetingFactory(name="Council session")
    commitment = CommitmentFactory(
        title="Transport corridor", description="A corridor.", meeting=meeting
    )

    html = russian_page(client, commitment).text

    assert '<h1 lang="en">Transport corridor</h1>' in html
    assert '<p class="lede" lang="en">A corridor.</p>' in html
    assert '<span lang="en">Council session</span>' in html
    assert in_russian(FALLBACK_NOTICE) in html
    # In English nothing falls back, so nothing is said.
    assert FALLBACK_NOTICE not in client.get(commitment.get_absolute_url()).text


def test_a_missing_russian_description_alone_is_said_too(client, kz):
    commitment = CommitmentFactory(
        title="Transport corridor", title_ru="Транспортный коридор", description="A corridor."
    )

    html = russian_page(client, commitment).text

    assert "<h1>Транспортный коридор</h1>" in html
    assert in_russian(DESCRIPTION_NOTICE) in html
    assert in_russian(FALLBACK_NOTICE) not in html


def test_the_list_marks_english_titles_on_a_russian_page(client, kz):
    CommitmentFactory(title="Solar plants", title_ru="Солнечные электростанции")
    CommitmentFactory(title="Water monitoring")

    with translation.override("ru"):
        html = client.get(reverse("public:commitment_list")).text

    assert ">Солнечные электростанции</a>" in html
    assert ' lang="en">Water monitoring</a>' in html


def test_the_dashboard_marks_english_titles_on_a_russian_page(client, kz):
    soon = timezone.localdate() + dt.timedelta(days=30)
    for title, title_ru in (("Solar plants", "Солнечные электростанции"), ("Water monitoring", "")):
        commitment = CommitmentFactory(
            title=title, title_ru=title_ru, target_date=soon, positions_diverge=True
        )
        StatusChangeFactory(commitment=commitment)

    with translation.override("ru"):
        html = client.get(reverse("public:dashboard")).text

    # Targets due, diverging accounts, latest status changes: each lists both titles once.
    assert html.count(">Солнечные электростанции</a>") == 3
    assert html.count(' lang="en">Water monitoring</a>') == 3


def quoted_commitment(source):
    """A commitment quoting `source` in its timeline, its figures and a party's treaty dates."""
    commitment = CommitmentFactory(
        title="Transport corridor", title_ru="Транспортный коридор", instrument_type="treaty"
    )
    evidence = EvidenceFactory(commitment=commitment, source=source, quote=source.text[:30])
    ObservationFactory(evidence=evidence)
    InstrumentParty.objects.create(
        commitment=commitment, country=commitment.owner_country, signed_on=dt.date(2024, 12, 5),
        evidence=evidence,
    )  # fmt: skip
    return commitment, evidence.quote


def test_an_english_quote_on_a_russian_page_is_marked_english(client, kz):
    commitment, quote = quoted_commitment(SourceFactory(language="en"))

    html = russian_page(client, commitment).text

    assert f'lang="en"><p>{quote}</p></blockquote>' in html
    assert f'<q class="quote" lang="en">{quote}</q>' in html
    assert f'<q lang="en">{quote}</q>' in html


def test_a_russian_quote_is_marked_on_an_english_page_only(client, kz):
    commitment, quote = quoted_commitment(SourceFactory(text=RUSSIAN_TEXT, language="ru"))

    english = client.get(commitment.get_absolute_url()).text
    russian = russian_page(client, commitment).text

    assert english.count(f' lang="ru"><p>{quote}</p>') == 1
    assert f'<q class="quote" lang="ru">{quote}</q>' in english
    assert f'<q lang="ru">{quote}</q>' in english
    assert 'lang="ru"' not in russian.split("<main", 1)[1]


# --- writes -----------------------------------------------------------------------------------


def test_the_bare_title_is_the_english_text_whatever_language_is_active(kz):
    officer = UserFactory(countries=["KZ"])
    commitment = CommitmentFactory(title="Old", title_ru="Старое")

    with translation.override("ru"):
        services.commitment_update(
            commitment=commitment, actor=officer, data={"title": "New", "title_kk": "Жаңа"}
        )

    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.title_en, stored.title_ru, stored.title_kk) == ("New", "Старое", "Жаңа")
    # The untranslated column mirrors the English text, for its check constraint and SQL readers.
    raw = Commitment.objects.rewrite(False).values_list("title", flat=True).get(pk=commitment.pk)
    assert raw == "New"


def test_an_english_title_is_required_even_with_a_russian_one():
    officer = UserFactory(countries=["KZ"])
    with pytest.raises(ValidationError) as caught:
        create_commitment(actor=officer, title_en="  ", title_ru="Только по-русски")
    assert "title" in caught.value.message_dict
    assert not Commitment.objects.exists()


def test_the_english_text_given_twice_is_refused(kz):
    officer = UserFactory(countries=["KZ"])
    commitment = CommitmentFactory(title="Old")
    with pytest.raises(ValidationError) as caught:
        services.commitment_update(
            commitment=commitment, actor=officer, data={"title": "A", "title_en": "B"}
        )
    assert "title" in caught.value.message_dict
    assert Commitment.objects.get(pk=commitment.pk).title_en == "Old"


def test_staff_edit_each_language_on_the_change_page(client, kz):
    logged_in_staff(client, "KZ")
    commitment = CommitmentFactory(title="Transport corridor")
    page = open_change_page(client, commitment)
    html = page.text
    for section in ("Русский", "Қазақша", "Кыргызча"):
        assert f">{section}<" in html
    for name in ("title_en", "title_ru", "title_kk", "title_ky", "description_ru"):
        assert f'name="{name}"' in html

    data = change_form_data(page, title_ru="Транспортный коридор", description_ky="Коридор.")
    response = client.post(change_url(commitment), data)

    assert response.status_code == 302
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.title_en, stored.title_ru, stored.description_ky) == (
        "Transport corridor",
        "Транспортный коридор",
        "Коридор.",
    )
    assert stored.version == 2


def test_staff_name_a_meeting_in_each_language(client, kz):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    response = client.post(
        reverse("admin:commitments_meeting_add"),
        {
            "key": "igc-2025",
            "name_en": "Council session",
            "name_ru": "Заседание совета",
            "name_kk": "",
            "name_ky": "",
            "held_on": "2025-02-25",
            "location": "Astana",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with translation.override("ru"):
        assert MeetingFactory._meta.model.objects.get(key="igc-2025").name == "Заседание совета"


# --- search -----------------------------------------------------------------------------------


def searched(client, text: str) -> set[str]:
    page = client.get("/", {"q": text}).context["page_obj"]
    return {c.slug for c in page.object_list}


def test_search_finds_a_commitment_by_its_russian_title_in_any_letter_case(client, kz):
    CommitmentFactory(
        slug="corridor", title="Economic corridor", title_ru="Транспортный коридор Алматы – Бишкек"
    )
    CommitmentFactory(slug="solar", title="Solar plants", title_ru="Солнечные электростанции")

    if connection.vendor == "sqlite":
        # A part of a word, lower case against a capital Cyrillic letter.
        assert searched(client, "трансп") == {"corridor"}
        assert searched(client, "ТРАНСПОРТНЫЙ бишкек") == {"corridor"}
    assert searched(client, "Транспортный") == {"corridor"}
    assert searched(client, "электростанции") == {"solar"}


@pytest.mark.services
def test_postgresql_searches_russian_text_with_the_russian_configuration(client, kz):
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."
    CommitmentFactory(
        slug="corridor", title="Economic corridor", title_ru="Транспортный коридор Алматы – Бишкек"
    )
    CommitmentFactory(
        slug="water", title="Water", description_ru="Обмен гидрологической информацией"
    )

    # Other forms of the words: Russian stemming, not the "simple" configuration's whole words.
    assert searched(client, "транспортного коридора") == {"corridor"}
    assert searched(client, "гидрологическая информация") == {"water"}
    assert searched(client, "коридор -транспортный") == set()
    # English keeps whole-word matching.
    assert searched(client, "corridor") == {"corridor"}
    assert searched(client, "corrid") == set()


# --- quotes in any script ---------------------------------------------------------------------

KAZAKH_TEXT = (
    "Қазақстан мен Қырғызстан өзара тауар айналымын 2030 жылға қарай 3 млрд долларға "
    "жеткізуді көздейді. Өңірлік ынтымақтастық форумы Тараз қаласында өтті; "
    "Үкімет басшылары су ресурстарын бірлесіп басқару туралы келісті, һәм ғылыми алмасуды "
    "ұлғайтуға уағдаласты."
)
RUSSIAN_TEXT = (
    "Стороны договорились о строительстве Камбаратинской ГЭС-1. Премьер-министр "
    "подчеркнул: «Объём торговли растёт, и мы её увеличим»."
)


@pytest.mark.parametrize(
    ("text", "language", "quote"),
    [
        (KAZAKH_TEXT, "kk", "өзара тауар айналымын 2030 жылға қарай 3 млрд долларға"),
        (KAZAKH_TEXT, "kk", "һәм ғылыми алмасуды ұлғайтуға уағдаласты"),
        (KAZAKH_TEXT, "kk", "Өңірлік ынтымақтастық форумы"),
        (RUSSIAN_TEXT, "ru", "«Объём торговли растёт, и мы её увеличим»"),
    ],
)
def test_a_verbatim_quote_in_any_script_is_accepted(kz, text, language, quote):
    officer = UserFactory(countries=["KZ"])
    source = SourceFactory(text=text, language=language)
    evidence = services.evidence_add(
        commitment=CommitmentFactory(), actor=officer, source=source, quote=quote
    )
    assert evidence.quote == quote
    assert source.get_language_display()


@pytest.mark.parametrize(
    "quote",
    [
        "Өзара тауар айналымын",  # another letter case
        "озара тауар айналымын",  # о for ө: a different letter
    ],
)
def test_a_quote_that_differs_from_the_text_is_refused(kz, quote):
    officer = UserFactory(countries=["KZ"])
    source = SourceFactory(text=KAZAKH_TEXT, language="kk")
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            commitment=CommitmentFactory(), actor=officer, source=source, quote=quote
        )
    assert caught.value.message_dict["quote"][0] == str(QUOTE_NOT_IN_SOURCE)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_quote_matches_whichever_unicode_form_its_letters_are_typed_in(kz, form):
    # "й" and "ё" as one code point, or as a letter plus a combining mark (as some keyboards and
    # PDF copies produce): the same words to a reader, so the same quote.
    officer = UserFactory(countries=["KZ"])
    stored = unicodedata.normalize("NFD" if form == "NFC" else "NFC", RUSSIAN_TEXT)
    source = SourceFactory(text=stored, language="ru")
    quote = unicodedata.normalize(form, "Объём торговли растёт")
    assert quote != unicodedata.normalize("NFD" if form == "NFC" else "NFC", quote)

    evidence = services.evidence_add(
        commitment=CommitmentFactory(), actor=officer, source=source, quote=quote
    )

    # The source's words, in the composed form both sides are compared in.
    assert evidence.quote == unicodedata.normalize("NFC", "Объём торговли растёт")
