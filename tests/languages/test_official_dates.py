"""Issue 25: Kazakh and Kyrgyz dates in the official order, the year first ("2024 жылғы
5 желтоқсан", "2024-жылдын 5-декабры"), with the month in the case its place in a sentence
needs ("… 5 желтоқсанға дейін", "… 5-декабрына чейин"), on pages, in the admin and in emails."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format

from commitments import formatting, services
from commitments.models import StaffProfile
from commitments.reminders import delivery, planning
from tests.support.admin import logged_in_staff, open_change_page
from tests.support.factories import CommitmentFactory, UserFactory
from tests.support.public import page_html
from tests.support.reminders import NOW, deliver, stale_commitment

# Each month as a native reader of official texts writes it after the day: nominative, dative
# (… дейін / … чейин), locative (on), ablative (from), attributive (as of).
KAZAKH = [
    ("қаңтар", "қаңтарға", "қаңтарда", "қаңтардан", "қаңтардағы"),
    ("ақпан", "ақпанға", "ақпанда", "ақпаннан", "ақпандағы"),
    ("наурыз", "наурызға", "наурызда", "наурыздан", "наурыздағы"),
    ("сәуір", "сәуірге", "сәуірде", "сәуірден", "сәуірдегі"),
    ("мамыр", "мамырға", "мамырда", "мамырдан", "мамырдағы"),
    ("маусым", "маусымға", "маусымда", "маусымнан", "маусымдағы"),
    ("шілде", "шілдеге", "шілдеде", "шілдеден", "шілдедегі"),
    ("тамыз", "тамызға", "тамызда", "тамыздан", "тамыздағы"),
    ("қыркүйек", "қыркүйекке", "қыркүйекте", "қыркүйектен", "қыркүйектегі"),
    ("қазан", "қазанға", "қазанда", "қазаннан", "қазандағы"),
    ("қараша", "қарашаға", "қарашада", "қарашадан", "қарашадағы"),
    ("желтоқсан", "желтоқсанға", "желтоқсанда", "желтоқсаннан", "желтоқсандағы"),
]
KYRGYZ = [
    ("январы", "январына", "январында", "январынан", "январындагы"),
    ("февралы", "февралына", "февралында", "февралынан", "февралындагы"),
    ("марты", "мартына", "мартында", "мартынан", "мартындагы"),
    ("апрели", "апрелине", "апрелинде", "апрелинен", "апрелиндеги"),
    ("майы", "майына", "майында", "майынан", "майындагы"),
    ("июну", "июнуна", "июнунда", "июнунан", "июнундагы"),
    ("июлу", "июлуна", "июлунда", "июлунан", "июлундагы"),
    ("августу", "августуна", "августунда", "августунан", "августундагы"),
    ("сентябры", "сентябрына", "сентябрында", "сентябрынан", "сентябрындагы"),
    ("октябры", "октябрына", "октябрында", "октябрынан", "октябрындагы"),
    ("ноябры", "ноябрына", "ноябрында", "ноябрынан", "ноябрындагы"),
    ("декабры", "декабрына", "декабрында", "декабрынан", "декабрындагы"),
]
CASES = ("nominative", "dative", "locative", "ablative", "attributive")


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("case", CASES)
def test_kazakh_dates_put_the_year_first_and_decline_the_month(month, case):
    with translation.override("kk"):
        shown = formatting.long_date(dt.date(2024, month, 5), case)
    assert shown == f"2024 жылғы 5 {KAZAKH[month - 1][CASES.index(case)]}"


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("case", CASES)
def test_kyrgyz_dates_put_the_year_first_and_the_month_in_the_possessive(month, case):
    with translation.override("ky"):
        shown = formatting.long_date(dt.date(2024, month, 5), case)
    assert shown == f"2024-жылдын 5-{KYRGYZ[month - 1][CASES.index(case)]}"


@pytest.mark.parametrize("code", ["kk", "ky"])
@pytest.mark.parametrize("month", range(1, 13))
def test_djangos_own_date_format_writes_the_same_date_as_long_date(code, month):
    # The admin's dates go through Django's DATE_FORMAT, not through long_date.
    day = dt.date(2025, month, 28)
    with translation.override(code):
        assert date_format(day, "DATE_FORMAT") == formatting.long_date(day)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en-gb", "5 December 2024"), ("ru", "5 декабря 2024 г.")],
)
@pytest.mark.parametrize("case", CASES)
def test_english_and_russian_dates_fit_every_place_as_they_are(code, expected, case):
    with translation.override(code):
        assert formatting.long_date(dt.date(2024, 12, 5), case) == expected


def test_an_unknown_case_is_refused_rather_than_guessed():
    with translation.override("kk"), pytest.raises(ValueError, match="dative"):
        formatting.long_date(dt.date(2024, 12, 5), "genitive")


@pytest.mark.parametrize(
    ("code", "moment"),
    [("kk", "2026 жылғы 21 қараша, 11:00"), ("ky", "2026-жылдын 21-ноябры, 11:00")],
)
def test_a_date_and_time_puts_the_year_first_too(code, moment, settings):
    settings.TIME_ZONE = "Asia/Almaty"  # UTC+5
    with translation.override(code):
        shown = formatting.localized_date(
            dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC), "DATETIME_FORMAT"
        )
    assert shown == moment


# --- sentences ---------------------------------------------------------------------------------


@pytest.fixture
def moved(kz, kz_officer):
    """A commitment given a target date, moved earlier, left without one, then given one again
    (the first date set is no move, so it is not in the history)."""
    commitment = CommitmentFactory(slug="moved", owner_country=kz, target_date=None)
    for target, reason in (
        (dt.date(2026, 4, 30), "Set at the council."),
        (dt.date(2026, 1, 31), "Brought forward."),
        (None, "Dropped."),
        (dt.date(2026, 6, 30), "Set again."),
    ):
        services.commitment_update(
            commitment=commitment,
            actor=kz_officer,
            data={"target_date": target},
            target_date_reason=reason,
        )
    return commitment


@pytest.mark.parametrize(
    ("code", "sentences"),
    [
        (
            "kk",
            [
                "мерзімі белгіленді: 2026 жылғы 30 маусым.",
                "мерзімі 2026 жылғы 30 сәуірден 2026 жылғы 31 қаңтарға ауыстырылды.",
                "мерзімі алынып тасталды (бұрынғысы: 2026 жылғы 31 қаңтар).",
            ],
        ),
        (
            "ky",
            [
                "мөөнөтү белгиленди: 2026-жылдын 30-июну.",
                "мөөнөтү 2026-жылдын 30-апрелинен 2026-жылдын 31-январына өзгөртүлдү.",
                "мөөнөтү алынып салынды (мурункусу: 2026-жылдын 31-январы).",
            ],
        ),
        (
            "ru",
            [
                "срок установлен: 30 июня 2026 г.",
                "срок изменён с 30 апреля 2026 г. на 31 января 2026 г.",
                "срок снят (был 31 января 2026 г.).",
            ],
        ),
    ],
)
def test_each_move_of_a_target_date_is_one_sentence_with_its_dates_declined(
    client, moved, code, sentences
):
    page = page_html(client.get(f"/{code}/commitments/moved/"))
    for sentence in sentences:
        assert sentence in page


@pytest.mark.parametrize(
    ("code", "lede"),
    [
        ("kk", 'Міндеттемелердің <time datetime="2026-03-01">2026 жылғы 1 наурыздағы</time>'),
        ("ky", 'Милдеттенмелердин <time datetime="2026-03-01">2026-жылдын 1-мартындагы</time>'),
    ],
)
def test_the_dashboard_says_as_of_which_day_with_the_attributive(client, db, code, lede):
    with time_machine.travel(dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(f"/{code}/dashboard/").content.decode()
    assert lede in page


# --- the admin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "target", "originally"),
    [
        ("kk", "2026 жылғы 30 сәуір", "бастапқы мерзімі: 2026 жылғы 31 қаңтар"),
        ("ky", "2026-жылдын 30-апрели", "баштапкы мөөнөтү: 2026-жылдын 31-январы"),
    ],
)
def test_the_admin_writes_dates_in_the_official_order(client, kz, code, target, originally):
    officer = logged_in_staff(client, "KZ")
    StaffProfile.objects.create(user=officer, language=code)
    commitment = CommitmentFactory(slug="admin-dates", owner_country=kz, target_date=None)
    for day in (dt.date(2026, 1, 31), dt.date(2026, 4, 30)):
        services.commitment_update(
            commitment=commitment,
            actor=officer,
            data={"target_date": day},
            target_date_reason="Council decision.",
        )
    changelist = client.get("/admin/commitments/commitment/").content.decode()
    assert target in changelist
    assert f'title="{originally}"' in changelist  # the postponed column's first date
    page = open_change_page(client, commitment).content.decode()
    assert originally.split(": ")[1] in page  # the read-only history of target dates
    for old in (" ж.", "Қаңтар", "Январь", "январь"):
        assert old not in changelist


# --- the reminder digest ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "country", "reviewed", "period"),
    [
        ("kk", "KZ", "2026 жылғы 13 қазан", "2026 жылғы 22 қараша"),
        ("ky", "KG", "2026-жылдын 13-октябры", "2026-жылдын 22-ноябры"),
    ],
)
def test_the_digest_writes_its_dates_in_the_official_order(db, code, country, reviewed, period):
    officer = UserFactory(username=f"officer-{code}", countries=[country])
    StaffProfile.objects.create(user=officer, language=code)
    with translation.override("en"):
        commitment = stale_commitment(responsible=[officer])
    result = deliver(officer.pk, planning.period_key(NOW), [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.SENT
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert reviewed in text  # the day the commitment was last reviewed
        assert period in text  # the day the digest is for
        assert " ж." not in text
