"""Dates as each language writes them: Kazakh and Kyrgyz months in lower case inside a date, and a
sentence that ends with "… 2024 г." or "… 2024 ж." ends with that one stop, never "г..".

English is the source language: its dates end without a stop, and its sentences keep their bytes.
"""

from __future__ import annotations

import datetime as dt
import html
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework.test import APIClient

from commitments import formatting, services
from commitments.models import ApiToken, Commitment, StaffProfile
from commitments.reminders.preferences import unsubscribe_token
from tests.support.factories import CommitmentFactory, UserFactory

DECEMBER_5 = dt.date(2024, 12, 5)
PREFIX = {"en-gb": "", "ru": "/ru", "kk": "/kk", "ky": "/ky"}


# --- month names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-gb", "5 December 2024"),
        ("ru", "5 декабря 2024 г."),
        ("kk", "2024 жылғы 5 желтоқсан"),
        ("ky", "2024-жылдын 5-декабры"),
    ],
)
def test_long_date_writes_the_month_as_the_language_does_inside_a_date(code, expected):
    with translation.override(code):
        assert formatting.long_date(DECEMBER_5) == expected


@pytest.mark.parametrize("code", ["kk", "ky"])
def test_no_kazakh_or_kyrgyz_month_is_capitalised_inside_a_date(code):
    with translation.override(code):
        for month in range(1, 13):
            for format_name in ("DATE_FORMAT", "YEAR_MONTH_FORMAT", "DATETIME_FORMAT"):
                day = dt.datetime(2024, month, 5, 9, 30, tzinfo=dt.UTC)
                shown = formatting.localized_date(day, format_name)
                assert shown == shown.lower(), (month, format_name)


@pytest.mark.parametrize(
    ("code", "year_month"),
    [("kk", "2024 жылғы желтоқсан"), ("ky", "2024-жылдын декабры")],
)
def test_year_month_format_in_lower_case_for_kazakh_and_kyrgyz(code, year_month):
    with translation.override(code):
        assert formatting.localized_date(DECEMBER_5, "YEAR_MONTH_FORMAT") == year_month


@pytest.mark.parametrize("code", ["en-gb", "ru"])
@pytest.mark.parametrize("format_name", ["DATE_FORMAT", "YEAR_MONTH_FORMAT", "DATETIME_FORMAT"])
def test_other_languages_keep_djangos_named_formats(code, format_name):
    moment = dt.datetime(2024, 12, 5, 9, 30, tzinfo=dt.UTC)
    with translation.override(code):
        django_wrote = date_format(timezone.localtime(moment), format_name)
        assert formatting.localized_date(moment, format_name) == django_wrote


@pytest.mark.parametrize(
    ("code", "expired_on"),
    [
        ("en-gb", "This token expired on 21 Nov 2026, 11 a.m.; ask for a new one."),
        (
            "kk",
            "Бұл токеннің жарамдылық мерзімі өтті (2026 жылғы 21 қараша, 11:00); "
            "жаңа токен сұраңыз.",
        ),
        ("ky", "Бул токендин мөөнөтү бүттү (2026-жылдын 21-ноябры, 11:00); жаңы токен сураңыз."),
    ],
)
def test_an_expired_tokens_date_writes_the_month_in_lower_case(db, code, expired_on, settings):
    settings.TIME_ZONE = "Asia/Almaty"  # UTC+5: the token runs out at 11:00 there
    issued = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
    _token, key = ApiToken.objects.issue(UserFactory(), "portal", days=1, now=issued)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with time_machine.travel(dt.datetime(2026, 11, 22, tzinfo=dt.UTC), tick=False):
        problem = api.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE=code).json()
    assert expired_on in problem["detail"]


# --- one stop where a sentence ends with a date ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("до 5 декабря 2024 г..", "до 5 декабря 2024 г."),
        ("на <time>5 декабря 2024 г.</time>.", "на <time>5 декабря 2024 г.</time>"),
        ("until 5 December 2024.", "until 5 December 2024."),
        ("to be continued...", "to be continued..."),
        ("5 ж. дейін.", "5 ж. дейін."),
    ],
)
def test_without_double_stop_keeps_one_stop_after_a_date(text, expected):
    assert formatting.without_double_stop(text) == expected


@pytest.fixture
def snooze_page(db):
    """The unsubscribe page of a recipient reading `code`, snoozed for 7 days on 22 Nov 2026."""

    def post(client, code: str) -> str:
        user = UserFactory(username=f"officer-{code}")
        StaffProfile.objects.create(user=user, language=code)
        url = reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user.pk)})
        with time_machine.travel(dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC), tick=False):
            response = client.post(url, {"action": "snooze", "days": "7"})
        assert response.status_code == 200
        return response.content.decode()

    return post


@pytest.mark.parametrize(
    ("code", "done", "snoozed"),
    [
        (
            "en-gb",
            "<strong>Done: you are snoozed until 29 November 2026.</strong>",
            "<p>Reminders are snoozed until 29 November 2026.</p>",
        ),
        (
            "ru",
            "<strong>Готово: рассылка приостановлена до 29 ноября 2026 г.</strong>",
            "<p>Напоминания приостановлены до 29 ноября 2026 г.</p>",
        ),
        (
            "kk",
            "<strong>Дайын: таратылым 2026 жылғы 29 қарашаға дейін тоқтатылды.</strong>",
            "<p>Еске салулар 2026 жылғы 29 қарашаға дейін тоқтатылған.</p>",
        ),
        (
            "ky",
            "<strong>Даяр: таратуу 2026-жылдын 29-ноябрына чейин токтотулду.</strong>",
            "<p>Эскертүүлөр 2026-жылдын 29-ноябрына чейин токтотулган.</p>",
        ),
    ],
)
def test_snooze_confirmation_ends_with_one_stop(client, snooze_page, code, done, snoozed):
    page = snooze_page(client, code)
    assert done in page
    assert snoozed in page


@pytest.fixture
def slipped(kz, kz_officer):
    """A commitment whose target date moved from 30 Nov 2025 to 30 Nov 2026."""
    commitment = CommitmentFactory(
        slug="checkpoint", owner_country=kz, target_date=dt.date(2025, 11, 30)
    )
    services.commitment_update(
        commitment=commitment,
        actor=kz_officer,
        data={"target_date": dt.date(2026, 11, 30)},
        target_date_reason="The tender slipped.",
    )
    return Commitment.objects.get(pk=commitment.pk)


@pytest.mark.parametrize(
    ("code", "moved"),
    [
        ("en-gb", "from 30 November 2025 to 30 November 2026. <span"),
        ("ru", "срок перенесён с 30 ноября 2025 г. на 30 ноября 2026 г. <span"),
        ("kk", "мерзімі 2025 жылғы 30 қарашадан 2026 жылғы 30 қарашаға кейінге шегерілді. <"),
        ("ky", "мөөнөтү 2025-жылдын 30-ноябрынан 2026-жылдын 30-ноябрына кийинкиге жылдырылды. <"),
    ],
)
def test_target_date_changes_end_with_one_stop(client, slipped, code, moved):
    page = client.get(f"{PREFIX[code]}/commitments/checkpoint/").content.decode()
    change = page[page.index('id="target-date-change-') :]
    change = change[: change.index("</li>")]
    assert moved in change
    assert ".." not in change


@pytest.mark.parametrize(
    ("code", "summary"),
    [
        ("en-gb", "Postponed 1 time(s); originally 30 November 2025. The tender slipped."),
        ("ru", "первоначальный срок — 30 ноября 2025 г. The tender slipped."),
        ("kk", "бастапқы мерзімі: 2025 жылғы 30 қараша. The tender slipped."),
        ("ky", "баштапкы мөөнөтү: 2025-жылдын 30-ноябры. The tender slipped."),
    ],
)
def test_feed_summary_of_a_postponement_ends_with_one_stop(client, slipped, code, summary):
    feed = client.get(f"{PREFIX[code]}/feeds/status-changes.atom").content
    entries = ElementTree.fromstring(feed).iter("{http://www.w3.org/2005/Atom}summary")  # noqa: S314
    summaries = [html.unescape(entry.text) for entry in entries]
    assert any(text.endswith(summary) for text in summaries), summaries


@pytest.mark.parametrize(
    ("code", "lede"),
    [
        ("en-gb", 'as of <time datetime="2026-11-30">30 November 2026</time>.</p>'),
        ("ru", 'на <time datetime="2026-11-30">30 ноября 2026 г.</time></p>'),
        ("kk", '<time datetime="2026-11-30">2026 жылғы 30 қарашадағы</time> жағдайы.</p>'),
        ("ky", '<time datetime="2026-11-30">2026-жылдын 30-ноябрындагы</time> абалы.</p>'),
    ],
)
def test_dashboard_lede_ends_with_one_stop(client, db, code, lede):
    with time_machine.travel(dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(f"{PREFIX[code]}/dashboard/").content.decode()
    assert lede in page
