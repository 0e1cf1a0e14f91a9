"""What time it is, and how a moment given as text is read: in one place, so tests freeze one clock.

Code that decides something takes `now` as an argument; only the edges (a request, a task, a
command) read `now()` or parse a moment here, once, and pass it on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, aware, in UTC (frozen by time-machine in tests)."""
    return timezone.now()


def parse_moment(value: str) -> datetime:
    """An ISO 8601 date-time as an aware moment in UTC.

    Without an offset the moment is read in the current time zone (TIME_ZONE), as staff would
    write it. Raises ValueError for text that is not such a date-time.
    """
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # e.g. year 1 at +05:00 is before the first UTC moment
        raise ValueError(f"{value!r} is out of range.") from exc
