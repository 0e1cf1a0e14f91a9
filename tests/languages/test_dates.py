"""Dates as each language writes them: Kazakh and Kyrgyz months in lower case inside a date.

English is the source language: its dates keep their bytes.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework.test import APIClient

from commitments import formatting
from commitments.models import ApiToken
from tests.factories import UserFactory

DECEMBER_5 = dt.date(2024, 12, 5)
PREFIX = {"en-gb": "", "ru": "/ru", "kk": "/kk", "ky": "/ky"}


# --- month names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-gb", "5 December 2024"),
        ("ru", "5 декабря 2024 г."),
        ("kk", "5 желтоқсан 2024 ж."),
        ("ky", "5 декабрь 2024 ж."),
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
    [("kk", "желтоқсан 2024 ж."), ("ky", "декабрь 2024 ж.")],
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
        ("kk", "21 қараша 2026 ж. 11:00"),
        ("ky", "21 ноябрь 2026 ж. 11:00"),
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
