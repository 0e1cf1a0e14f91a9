"""One clock and one reader of moments given as text (`--now`, a task's `now`)."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments import clock
from commitments.api.filters import CommitmentFilter
from commitments.models import Commitment

# Ways to read the current time other than clock.now(); `localdate()` without a moment is one.
CURRENT_TIME = (
    r"timezone\.now\(\)|timezone\.local(date|time)\(\)|datetime\.(utc)?now\(|date\.today\(\)"
    r"|\btime\.time\(\)"
)
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


def test_only_the_clock_module_reads_the_current_time():
    """Model field defaults name the callable (`default=timezone.now`) and stay as Django wrote
    them in the migrations; every other reading goes through clock.now()."""
    app = Path(clock.__file__).parent
    readers = [
        f"{path.relative_to(app.parent)}:{number}"
        for path in sorted(app.rglob("*.py"))
        if "migrations" not in path.parts and path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(CURRENT_TIME, line.split("#", 1)[0])
    ]
    assert readers == []
