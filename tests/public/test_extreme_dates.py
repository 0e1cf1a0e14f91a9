"""Dates at the ends of what a date can hold, stored before the record refused them (or written
straight into the database): every page and feed that shows them still answers."""

import datetime as dt
from decimal import Decimal

import icalendar
import pytest

from commitments.rules import Status
from tests.support.factories import (
    CommitmentFactory,
    ObservationFactory,
    StatusChangeFactory,
)

FAR_DATES = [dt.date(9999, 12, 31), dt.date(1, 1, 1)]


@pytest.fixture
def far(request, db):
    day = request.param
    commitment = CommitmentFactory(
        slug="far",
        target_date=day,
        original_target_date=day,
        announced_on=day,
        target_amount=Decimal("100"),
        target_unit="MW",
    )
    ObservationFactory(
        evidence__commitment=commitment,
        value=Decimal("40"),
        unit="MW",
        period_start=day,
        period_end=day,
    )
    StatusChangeFactory(commitment=commitment, new_status=Status.ANNOUNCED)
    return commitment


@pytest.mark.parametrize("far", FAR_DATES, indirect=True)
def test_calendar_holds_an_event_on_any_stored_target_date(client, far):
    response = client.get("/feeds/target-dates.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == far.target_date
    day = {9999: "99991231", 1: "00010101"}[far.target_date.year]
    assert f"DTSTART;VALUE=DATE:{day}\r\n" in response.content.decode()


@pytest.mark.parametrize("far", FAR_DATES, indirect=True)
@pytest.mark.parametrize("language", ["", "/ru", "/kk", "/ky"])
def test_pages_and_feeds_answer_with_a_far_date_stored(client, far, language):
    for url in (
        f"{language}{far.get_absolute_url()}",
        f"{language}/",
        f"{language}/dashboard/",
        "/feeds/status-changes.atom",
    ):
        assert client.get(url).status_code == 200, url
