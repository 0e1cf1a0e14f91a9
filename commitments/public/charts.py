"""The progress chart of a quantitative target, laid out server-side for an SVG template.

Each observation is a bar spanning its period on a time axis, as high as its value; observations
of the same period (sources that disagree, or agree) stand side by side inside that period, each
numbered after its source, never averaged. The target is a dashed line, and its date a vertical line
with a marker where target and date meet. The same data goes into `ObservationTable` for the page's
table, so nothing in the picture is out of reach of a screen reader or a reader without images.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.dateformat import format as date_format

from ..models import Commitment, ProgressObservation

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 28, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MIN_BAR_W = 8.0
# Distinguishable on white with at least 4.5:1 contrast, so labels in the same colour stay legible.
PALETTE = ("#1f5f8b", "#a64b00", "#2a6e3f", "#6f2c91", "#8a1c3f", "#4a5a0a")


def format_amount(value: Decimal | float, unit: str = "", *, short: bool = False) -> str:
    """1340000000 -> '1.34 billion' ('1.34 bn' when short); the unit follows when given."""
    number = float(value)
    for size, long_name, short_name in (
        (1e12, "trillion", "tn"),
        (1e9, "billion", "bn"),
        (1e6, "million", "mn"),
    ):
        if abs(number) >= size:
            scaled = f"{number / size:.3f}".rstrip("0").rstrip(".")
            text = f"{scaled} {short_name if short else long_name}"
            break
    else:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def format_exact(value: Decimal, unit: str = "") -> str:
    text = f"{value:,.2f}".removesuffix(".00")
    return f"{text} {unit}".strip()


def _period_label(obs: ProgressObservation) -> str:
    if obs.period_label:
        return obs.period_label
    if obs.period_start == obs.period_end:
        return date_format(obs.period_start, "j M Y")
    return f"{date_format(obs.period_start, 'j M Y')} – {date_format(obs.period_end, 'j M Y')}"


@dataclass
class SourceRef:
    number: int
    colour: str
    publisher: str
    title: str
    published_on: dt.date | None
    url: str

    @property
    def label(self) -> str:
        return self.publisher or "Publisher not named"

    @property
    def css_class(self) -> str:
        return f"source-{(self.number - 1) % len(PALETTE) + 1}"


@dataclass
class ObservationRow:
    observation: ProgressObservation
    source: SourceRef
    value_text: str
    exact_text: str
    quote: str


@dataclass
class PeriodGroup:
    start: dt.date
    end: dt.date
    label: str
    rows: list[ObservationRow] = field(default_factory=list)

    @property
    def conflicting(self) -> bool:
        """True when sources report different values (or units) for this same period."""
        return len({(r.observation.value, r.observation.unit) for r in self.rows}) > 1


@dataclass
class ObservationTable:
    groups: list[PeriodGroup]
    sources: list[SourceRef]

    @property
    def has_conflicts(self) -> bool:
        return any(g.conflicting for g in self.groups)


def observation_table(observations: Iterable[ProgressObservation]) -> ObservationTable:
    """Group observations by period (in date order), numbering their sources as they appear."""
    sources: dict[object, SourceRef] = {}
    groups: dict[tuple[dt.date, dt.date], PeriodGroup] = {}
    for obs in sorted(observations, key=lambda o: (o.period_start, o.period_end, o.pk or 0)):
        evidence = obs.evidence
        source = evidence.source
        key = ("source", source.pk) if source else ("evidence", evidence.pk)
        if key not in sources:
            number = len(sources) + 1
            sources[key] = SourceRef(
                number=number,
                colour=PALETTE[(number - 1) % len(PALETTE)],
                publisher=source.publisher if source else "",
                title=source.title if source else (evidence.note or evidence.url),
                published_on=source.published_on if source else evidence.observed_on,
                url=(source.url if source else "") or evidence.url,
            )
        group = groups.setdefault(
            (obs.period_start, obs.period_end),
            PeriodGroup(start=obs.period_start, end=obs.period_end, label=_period_label(obs)),
        )
        group.rows.append(
            ObservationRow(
                observation=obs,
                source=sources[key],
                value_text=format_amount(obs.value, obs.unit),
                exact_text=format_exact(obs.value, obs.unit),
                quote=evidence.quote,
            )
        )
    return ObservationTable(groups=list(groups.values()), sources=list(sources.values()))


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # the value, short
    source_number: int
    title: str  # the bar's tooltip and accessible description
    show_value: bool

    @property
    def centre_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def number_y(self) -> float:
        return round(self.y - 5, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 19, 1)


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    title: str
    desc: str
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    bottom_y: float
    right_x: float
    tick_end_y: float
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_y: float
    target_label: str
    target_x: float | None
    target_date_label: str
    target_date_label_x: float | None
    sources: Sequence[SourceRef]
    omitted: int  # observations in another unit than the target's, listed in the table only


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def progress_chart(commitment: Commitment, table: ObservationTable) -> Chart | None:
    """Lay out the chart of `table` against the commitment's target; None without a target."""
    if commitment.target_amount is None:
        return None
    unit = commitment.target_unit
    target = float(commitment.target_amount)
    groups = [
        PeriodGroup(g.start, g.end, g.label, [r for r in g.rows if r.observation.unit == unit])
        for g in table.groups
    ]
    omitted = sum(len(g.rows) for g in table.groups) - sum(len(g.rows) for g in groups)
    groups = [g for g in groups if g.rows]

    dates = [d for g in groups for d in (g.start, g.end)]
    dates += [d for d in (commitment.target_date, commitment.announced_on) if d]
    if not dates:
        dates = [timezone.localdate()]  # a placeholder axis until the first observation
    first_year, last_year = min(dates).year, max(dates).year
    axis_start, axis_end = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    span_days = (axis_end - axis_start).days

    def x_of(day: dt.date) -> float:
        return LEFT + PLOT_W * (day - axis_start).days / span_days

    values = [float(r.observation.value) for g in groups for r in g.rows]
    y_max = _nice_ceiling(max([target, *values]) * 1.08)

    def y_of(value: float) -> float:
        return TOP + PLOT_H * (1 - value / y_max)

    bars: list[Bar] = []
    for group in groups:
        x0, x1 = x_of(group.start), x_of(group.end + dt.timedelta(days=1))
        n = len(group.rows)
        width = max(x1 - x0, n * MIN_BAR_W)
        left = max(LEFT, min((x0 + x1 - width) / 2, LEFT + PLOT_W - width))
        bar_w = width / n
        for i, row in enumerate(group.rows):
            value = float(row.observation.value)
            y = y_of(value)
            short = format_amount(row.observation.value, short=True)
            bars.append(
                Bar(
                    x=round(left + i * bar_w + 0.5, 1),
                    y=round(y, 1),
                    width=round(max(bar_w - 1, 1), 1),
                    height=round(TOP + PLOT_H - y, 1),
                    colour=row.source.colour,
                    label=short,
                    source_number=row.source.number,
                    title=f"{group.label}: {row.value_text}, source [{row.source.number}] "
                    f"{row.source.label}",
                    show_value=bar_w >= 6.5 * len(short),
                )
            )

    step = max(1, math.ceil((last_year - first_year + 1) / 10))
    x_ticks = [
        Tick(round(x_of(dt.date(year, 1, 1)), 1), str(year))
        for year in range(first_year, last_year + 2, step)
    ]
    y_ticks = [
        Tick(round(y_of(y_max * i / 5), 1), format_amount(y_max * i / 5, short=True))
        for i in range(6)
    ]

    target_label = f"Target: {format_amount(commitment.target_amount, unit)}"
    if commitment.target_date:
        target_date_label = f"Target date: {date_format(commitment.target_date, 'j M Y')}"
        target_x: float | None = round(x_of(commitment.target_date), 1)
    else:
        target_date_label = "No target date given"
        target_x = None

    parts = []
    for group in groups:
        reported = "; ".join(
            f"{r.value_text} according to [{r.source.number}] {r.source.label}" for r in group.rows
        )
        disagree = " (sources disagree)" if group.conflicting else ""
        parts.append(f"{group.label}: {reported}{disagree}.")
    desc = (
        f"{target_label}, {target_date_label.lower()}. "
        + (" ".join(parts) if parts else "No observations recorded yet.")
        + " The table below gives the same figures with their sources."
    )
    return Chart(
        title=f"Progress toward the target: {commitment.title}",
        desc=desc,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        plot_width=PLOT_W,
        plot_height=PLOT_H,
        bottom_y=TOP + PLOT_H,
        right_x=LEFT + PLOT_W,
        tick_end_y=TOP + PLOT_H + 5,
        bars=bars,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_y=round(y_of(target), 1),
        target_label=target_label,
        target_x=target_x,
        target_date_label=target_date_label,
        target_date_label_x=(
            None if target_x is None else round(min(max(target_x, LEFT + 130), LEFT + PLOT_W), 1)
        ),
        sources=table.sources,
        omitted=omitted,
    )
