"""One clock and one reader of moments given as text (`--now`, a task's `now`)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments import clock
from commitments.api.filters import CommitmentFilter
from commitments.models import Commitment

ALMATY_NINE = dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)  # 09:00 at UTC+5


def test_a_moment_without_offset_is_read_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    moment = clock.parse_moment("2026-11-22T09:00")
    assert moment == ALMATY_NINE
    assert moment.tzinfo is dt.UTC


def test_a_moment_with_an_offset_keeps_its_instant_in_utc():
    moment = clock.parse_moment("2026-11-22T10:00+06:00")
    assert (moment, moment.tzinfo) == (ALMATY_NINE, dt.UTC)


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", "0001-01-01T00:00+05:00"])
def test_text_that_is_no_moment_is_refused(text):
    with pytest.raises(ValueError):
        clock.parse_moment(text)


def test_the_command_refuses_a_bad_now_with_a_clear_error(db):
    with pytest.raises(CommandError, match="not an ISO 8601 date-time"):
        call_command("send_reminders", "--dry-run", "--now", "next monday")


def test_without_a_moment_the_edges_take_the_frozen_clock():
    with time_machine.travel(ALMATY_NINE, tick=False):
        assert clock.now() == ALMATY_NINE
        assert clock.parse_moment(None) == ALMATY_NINE
        assert clock.parse_moment("") == ALMATY_NINE


def test_the_api_filter_takes_its_moment_as_an_argument_never_from_its_own_clock():
    with pytest.raises(TypeError):
        CommitmentFilter({"stale": "true"}, Commitment.objects.none())
