import datetime as dt
from decimal import Decimal

import pytest

from commitments.public.charts import (
    LEFT,
    PLOT_W,
    format_amount,
    observation_table,
    progress_chart,
)
from tests.support.factories import CommitmentFactory, ObservationFactory, SourceFactory


@pytest.mark.parametrize(
    ("value", "short", "expected"),
    [
        (Decimal("1340000000"), False, "1.34 billion USD"),
        (Decimal("755400000"), False, "755 million USD"),
        (Decimal("2000000000"), True, "2 bn USD"),
        (Decimal("1250.50"), False, "1,250.5 USD"),
    ],
)
def test_amounts_read_as_words(value, short, expected):
    assert format_amount(value, "USD", short=short) == expected


def test_sources_are_numbered_once_in_order_of_first_appearance(db):
    commitment = CommitmentFactory(target_amount=Decimal("10"), target_unit="USD")
    interfax, kazinform = SourceFactory(publisher="Interfax"), SourceFactory(publisher="Kazinform")
    ObservationFactory(evidence__commitment=commitment, evidence__source=interfax, value=4)
    ObservationFactory(evidence__commitment=commitment, evidence__source=kazinform, value=5)
    ObservationFactory(
        evidence__commitment=commitment,
        evidence__source=interfax,
        value=6,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        period_label="2023",
    )

    table = observation_table(commitment.observations.select_related("evidence__source"))

    assert [(s.number, s.publisher) for s in table.sources] == [(1, "Interfax"), (2, "Kazinform")]
    assert [[r.source.number for r in g.rows] for g in table.groups] == [[1, 2], [1]]
    assert [g.conflicting for g in table.groups] == [True, False]


def test_bars_span_their_period_and_the_target_date_sits_on_the_time_axis(db):
    commitment = CommitmentFactory(
        target_amount=Decimal("3000000000"), target_unit="USD", target_date=dt.date(2030, 12, 31)
    )
    ObservationFactory(
        evidence__commitment=commitment,
        value=Decimal("1340000000"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
    )

    chart = progress_chart(commitment, observation_table(commitment.observations.all()))

    (bar,) = chart.bars
    year = PLOT_W / 7  # the axis runs 2024-01-01 to 2031-01-01
    assert bar.x == pytest.approx(LEFT, abs=1)
    assert bar.width == pytest.approx(year, abs=2)
    assert chart.target.x == pytest.approx(LEFT + PLOT_W, abs=1)
    assert bar.y > chart.target.y  # 1.34 bn is drawn below the 3 bn target line
    assert [t.label for t in chart.x_ticks] == [str(y) for y in range(2024, 2032)]


def test_no_target_no_chart(db):
    commitment = CommitmentFactory()

    assert progress_chart(commitment, observation_table([])) is None


def test_the_target_marker_and_the_description_name_the_date_once_as_written(client, db):
    commitment = CommitmentFactory(
        target_amount=Decimal("3000000000"), target_unit="USD", target_date=dt.date(2030, 12, 31)
    )
    ObservationFactory(evidence__commitment=commitment, value=Decimal("1340000000"))

    chart = progress_chart(commitment, observation_table(commitment.observations.all()))
    html = client.get(commitment.get_absolute_url()).content.decode()

    # Not "target date: 31 dec 2030" (the whole label lowered, month name too).
    assert chart.desc.startswith("Target: 3 billion USD, target date: 31 Dec 2030. ")
    # Not "Target: 3 billion USD by Target date: 31 Dec 2030".
    assert "<title>Target: 3 billion USD by 31 Dec 2030</title>" in html
    russian = client.get(f"/ru{commitment.get_absolute_url()}").content.decode()
    assert "<title>Цель: 3 млрд долларов США к 31.12.2030</title>" in russian
