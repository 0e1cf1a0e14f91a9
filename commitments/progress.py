"""Is a quantitative target on track? The method, in one place (the README states it too).

A commitment's observations are grouped into series: one per party country that reported the
figure (`ProgressObservation.reported_by`), else one per source. Two series never share a point,
so where the parties' or the sources' figures disagree, each gets its own assessment and none is
averaged away.

Within a series, only figures of the same kind as the latest one are compared: those whose
period is as long as the latest's (within a week), so a seven-month figure is never read against
a full year's. Then:

- no target amount or target date, or fewer than two comparable figures: not enough data;
- the latest figure reaches the target: on track;
- the target date has passed (at the end of the latest period) without reaching it: off track;
- otherwise the observed rate (change between the earliest and the latest figure, per year,
  measured between the ends of their periods) is compared with the rate still needed (the gap
  to the target, per year left until the target date): at least the needed rate is on track, at
  least half of it needs acceleration, less (or no growth) is off track.

A commitment's own `progress` is its least favourable series' assessment (a reader filtering for
"off track" sees every target that any party's figures put off track).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

DAYS_PER_YEAR = Decimal("365.25")
SAME_PERIOD_TOLERANCE_DAYS = 7
# Below this share of the needed rate, a target is off track rather than needing acceleration.
ACCELERATION_FLOOR = Decimal("0.5")


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    NEEDS_ACCELERATION = "needs_acceleration", _("Needs acceleration")
    OFF_TRACK = "off_track", _("Off track")
    NOT_ENOUGH_DATA = "not_enough_data", _("Not enough data")


# Least favourable first: the commitment's overall value is the first found among its series.
SEVERITY = (
    Progress.OFF_TRACK,
    Progress.NEEDS_ACCELERATION,
    Progress.ON_TRACK,
    Progress.NOT_ENOUGH_DATA,
)


@dataclass(frozen=True, slots=True)
class Point:
    value: Decimal
    period_start: date
    period_end: date
    series: str  # the reporting party's code, or "source:<id>"

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days


@dataclass(frozen=True, slots=True)
class Assessment:
    series: str
    progress: Progress
    points: int  # comparable figures used
    observed_rate: Decimal | None = None  # per year
    needed_rate: Decimal | None = None  # per year
    latest: Decimal | None = None

    @property
    def reporter(self) -> str:
        """A party's ISO code, or "" for a series keyed by its source."""
        return "" if self.series.startswith("source:") else self.series

    @property
    def source_id(self) -> int | None:
        """The source's id for a series keyed by its source, else None."""
        if not self.series.startswith("source:"):
            return None
        value = self.series.split(":", 1)[1]
        return int(value) if value else None


def series_key(reported_by: str | None, source_id: int | None) -> str:
    # Figures backed only by a URL share one series: they name no source to tell them apart.
    return reported_by or f"source:{source_id or ''}"


def _years(start: date, end: date) -> Decimal:
    return Decimal((end - start).days) / DAYS_PER_YEAR


def assess_series(
    points: list[Point], *, target: Decimal | None, target_date: date | None
) -> Assessment:
    """The assessment of one series' figures against the target (see the module's method)."""
    series = points[0].series if points else ""
    if not points or target is None or target_date is None:
        return Assessment(series, Progress.NOT_ENOUGH_DATA, len(points))
    ordered = sorted(points, key=lambda p: (p.period_end, p.period_start))
    latest = ordered[-1]
    comparable = [p for p in ordered if abs(p.days - latest.days) <= SAME_PERIOD_TOLERANCE_DAYS]
    earliest = comparable[0]
    count = len(comparable)
    if count < 2 or earliest.period_end == latest.period_end:
        return Assessment(series, Progress.NOT_ENOUGH_DATA, count, latest=latest.value)
    observed = (latest.value - earliest.value) / _years(earliest.period_end, latest.period_end)
    if latest.value >= target:
        return Assessment(series, Progress.ON_TRACK, count, observed, Decimal(0), latest.value)
    if latest.period_end >= target_date:
        return Assessment(series, Progress.OFF_TRACK, count, observed, None, latest.value)
    needed = (target - latest.value) / _years(latest.period_end, target_date)
    if observed >= needed:
        verdict = Progress.ON_TRACK
    elif observed > 0 and observed >= needed * ACCELERATION_FLOOR:
        verdict = Progress.NEEDS_ACCELERATION
    else:
        verdict = Progress.OFF_TRACK
    return Assessment(series, verdict, count, observed, needed, latest.value)


def assess(
    points: Iterable[Point], *, target: Decimal | None, target_date: date | None
) -> list[Assessment]:
    """One assessment per series, in series order (parties by code, then sources)."""
    by_series: dict[str, list[Point]] = {}
    for point in points:
        by_series.setdefault(point.series, []).append(point)
    return [
        assess_series(by_series[key], target=target, target_date=target_date)
        for key in sorted(by_series, key=lambda k: (k.startswith("source:"), k))
    ]


def overall(assessments: Iterable[Assessment]) -> Progress:
    found = {a.progress for a in assessments}
    return next((p for p in SEVERITY if p in found), Progress.NOT_ENOUGH_DATA)


def points_of(observations: Iterable) -> list[Point]:
    """Points from loaded ProgressObservation rows (their evidence loaded, for the source)."""
    return [
        Point(
            o.value,
            o.period_start,
            o.period_end,
            series_key(o.reported_by_id, o.evidence.source_id),
        )
        for o in observations
    ]
