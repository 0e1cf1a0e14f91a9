"""What time it is, in one place.

Every step that decides something (the period, staleness, due dates, snoozes, "N days ago") takes
`now` as an argument; the edges (a request, a task, a command) read it once with `now()` or parse
it once with `parse_moment()` and pass it down, so a test freezes one clock and every step agrees.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


class InvalidMoment(ValueError):
    """A moment that is not an ISO 8601 date-time."""


def now() -> datetime:
    """The current moment, aware, in UTC (frozen by time-machine in tests)."""
    return timezone.now()


def parse_moment(value: str | None) -> datetime:
    """An ISO 8601 date-time as an aware moment in UTC; empty means now.

    A naive value is read in TIME_ZONE (the project's local time, as staff would write it), never
    as UTC and never left naive: a naive datetime compared with an aware one raises, and one
    stored in the database is read back in another zone.
    """
    if not value:
        return now()
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise InvalidMoment(f"{value!r} is not an ISO 8601 date-time.") from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # e.g. year 1 at +05:00 is before the first UTC moment
        raise InvalidMoment(f"{value!r} is out of range.") from exc


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date `moment` falls on in `zone` (an IANA name such as Asia/Almaty)."""
    return timezone.localtime(moment, ZoneInfo(zone)).date()
