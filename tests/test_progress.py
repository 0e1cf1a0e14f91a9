"""The progress method (commitments.progress) on constructed series of figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from commitments.progress import Point, Progress, assess, overall

BN = Decimal("1000000000")
TARGET = 3 * BN
BY_2030 = dt.date(2030, 12, 31)


def year(y: int, value: str, series: str = "KZ") -> Point:
    return Point(Decimal(value) * BN, dt.date(y, 1, 1), dt.date(y, 12, 31), series)


def verdicts(*points: Point, target=TARGET, target_date=BY_2030) -> dict[str, Progress]:
    return {a.series: a.progress for a in assess(points, target=target, target_date=target_date)}


def test_a_series_growing_faster_than_needed_is_on_track():
    # +0.5 bn a year observed; (3.0 - 2.0) / 6 years = 0.17 bn a year needed.
    assert verdicts(year(2022, "1.0"), year(2024, "2.0")) == {"KZ": Progress.ON_TRACK}


def test_a_series_growing_a_little_too_slowly_needs_acceleration():
    # Kazakhstan's seeded figures: 1.3 bn (2022) to 1.7 bn (2024) is 0.2 bn a year; 0.217 needed.
    [assessment] = assess(
        [year(2022, "1.3"), year(2024, "1.7")], target=TARGET, target_date=BY_2030
    )
    assert assessment.progress == Progress.NEEDS_ACCELERATION
    assert round(assessment.observed_rate / BN, 3) == Decimal("0.200")
    assert round(assessment.needed_rate / BN, 3) == Decimal("0.217")


def test_a_series_far_behind_or_shrinking_is_off_track():
    assert verdicts(year(2022, "1.30"), year(2024, "1.34")) == {"KZ": Progress.OFF_TRACK}
    assert verdicts(year(2022, "1.5"), year(2024, "1.2")) == {"KZ": Progress.OFF_TRACK}


def test_a_target_already_reached_is_on_track_even_when_falling():
    assert verdicts(year(2022, "3.5"), year(2024, "3.1")) == {"KZ": Progress.ON_TRACK}


def test_a_target_date_passed_without_reaching_it_is_off_track():
    assert verdicts(year(2022, "1.0"), year(2024, "2.9"), target_date=dt.date(2024, 6, 30)) == {
        "KZ": Progress.OFF_TRACK
    }


def test_one_point_only_is_not_enough_data():
    [assessment] = assess([year(2024, "1.7")], target=TARGET, target_date=BY_2030)
    assert assessment.progress == Progress.NOT_ENOUGH_DATA
    assert assessment.points == 1


def test_without_a_target_date_or_amount_there_is_not_enough_data():
    points = [year(2022, "1.0"), year(2024, "2.0")]
    assert verdicts(*points, target_date=None) == {"KZ": Progress.NOT_ENOUGH_DATA}
    assert verdicts(*points, target=None) == {"KZ": Progress.NOT_ENOUGH_DATA}


def test_a_partial_period_is_not_compared_with_a_full_year():
    # 757 mln for January–July 2023 is not a fall from 1.3 bn for 2022: the seven-month figure
    # is the latest, and no earlier seven-month figure exists to compare it with.
    seven_months = Point(Decimal("757000000"), dt.date(2023, 1, 1), dt.date(2023, 7, 31), "KZ")
    assert verdicts(year(2022, "1.3"), seven_months) == {"KZ": Progress.NOT_ENOUGH_DATA}


def test_conflicting_sources_are_assessed_apart_and_the_least_favourable_leads():
    # The same years, two parties' figures: each series gets its own verdict, none is averaged.
    assessments = assess(
        [
            year(2022, "1.3", "KZ"),
            year(2024, "1.7", "KZ"),
            year(2022, "1.3", "KG"),
            year(2024, "1.34", "KG"),
            year(2024, "2.0", "source:7"),
        ],
        target=TARGET,
        target_date=BY_2030,
    )
    by_series = {a.series: a.progress for a in assessments}
    assert by_series == {
        "KG": Progress.OFF_TRACK,
        "KZ": Progress.NEEDS_ACCELERATION,
        "source:7": Progress.NOT_ENOUGH_DATA,
    }
    assert [a.series for a in assessments] == ["KG", "KZ", "source:7"]  # parties first
    assert overall(assessments) == Progress.OFF_TRACK
    assert overall([]) == Progress.NOT_ENOUGH_DATA
