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

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import clock
from ..formatting import format_amount, format_exact, period_text, short_date
from ..messages import system_note
from ..models import Commitment, ProgressObservation
from ..progress import Assessment, Progress

__all__ = ["format_amount", "format_exact", "observation_table", "progress_chart"]

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 28, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MIN_BAR_W = 8.0
# Distinguishable on white with at least 4.5:1 contrast, so labels in the same colour stay legible.
PALETTE = ("#1f5f8b", "#a64b00", "#2a6e3f", "#6f2c91", "#8a1c3f", "#4a5a0a")


def _period_label(obs: ProgressObservation) -> str:
    """The stored label (an article's or staff's words, such as "Taraz forum, 23–24 September
    2023") where the reader reads its language: English, the record's, or the source's own.
    Elsewhere the period is named from its dates in the reader's language, so a Russian page
    never says "January–July 2023"."""
    language = (get_language() or "en").split("-")[0]
    source = obs.evidence.source
    if obs.period_label and (language == "en" or (source and source.language == language)):
        return obs.period_label
    return period_text(obs.period_start, obs.period_end)


@dataclass
class SourceRef:
    number: int
    colour: str
    publisher: str
    title: str
    published_on: dt.date | None
    url: str
    language: str  # the source's; "" for evidence that is only a link

    @property
    def label(self) -> str:
        return self.publisher or _("Publisher not named")

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

    @property
    def reporter(self) -> str:
        """The party country whose figure this is ("" when the source does not say)."""
        country = self.observation.reported_by
        return country.local_name if country is not None else ""


@dataclass
class ProgressLine:
    """One series' assessment in words: whose figures, the verdict, and the rates behind it."""

    label: str
    progress: str
    verdict: str
    detail: str

    @property
    def css_class(self) -> str:
        return f"progress-{self.progress}"


def progress_lines(
    assessments: Sequence[Assessment],
    countries: dict[str, str],
    sources: dict[int, str],
    unit: str,
) -> list[ProgressLine]:
    """The assessments (`progress.assess`) as the page and the chart show them."""
    lines = []
    for a in assessments:
        if a.reporter:
            label = _("%(country)s's figures") % {"country": countries.get(a.reporter, a.reporter)}
        elif a.source_id is not None:
            label = _("Figures of %(source)s") % {"source": sources.get(a.source_id, a.source_id)}
        else:
            label = _("Figures backed by links")
        if a.progress == Progress.NOT_ENOUGH_DATA:
            detail = _(
                "At least two comparable figures (periods of the same length) and a target "
                "date are needed; %(count)s comparable figure(s) so far."
            ) % {"count": a.points}
        elif a.needed_rate == 0:
            detail = _("The latest figure, %(latest)s, reaches the target.") % {
                "latest": format_amount(a.latest, unit)
            }
        elif a.needed_rate is None:
            detail = _("The target date has passed; the latest figure is %(latest)s.") % {
                "latest": format_amount(a.latest, unit)
            }
        else:
            detail = _(
                "Latest %(latest)s; changing by %(observed)s a year, %(needed)s a year needed "
                "to reach the target by its date."
            ) % {
                "latest": format_amount(a.latest, unit),
                "observed": format_amount(a.observed_rate, unit),
                "needed": format_amount(a.needed_rate, unit),
            }
        lines.append(ProgressLine(str(label), a.progress, str(a.progress.label), str(detail)))
    return lines


@dataclass
class PeriodGroup:
    start: dt.date
    end: dt.date
    label: str
    rows: list[ObservationRow] = field(default_factory=list)

    @property
    def conflicting(self) -> bool:
        """True when the reported figures (values or units) differ for this same period."""
        return len({(r.observation.value, r.observation.unit) for r in self.rows}) > 1

    @property
    def conflict_within_one_source(self) -> bool:
        """True when the figures that differ all come from one source (e.g. two officials quoted
        in one article), so the page must not say that sources disagree."""
        return self.conflicting and len({r.source.number for r in self.rows}) == 1

    @property
    def conflict_text(self) -> str:
        """How the figures disagree, in words for the chart's description; "" when they agree."""
        if not self.conflicting:
            return ""
        if self.conflict_within_one_source:
            return str(_("reported figures disagree, within one source"))
        return str(_("reported figures disagree, between sources"))


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
                title=source.title if source else (system_note(evidence.note) or evidence.url),
                published_on=source.published_on if source else evidence.observed_on,
                url=(source.url if source else "") or evidence.url,
                language=source.language if source else "",
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


@dataclass(frozen=True)
class Frame:
    """The SVG's fixed geometry: the canvas and the plot area inside its margins."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_width: int = PLOT_W
    plot_height: int = PLOT_H

    @property
    def bottom_y(self) -> int:
        return self.top + self.plot_height

    @property
    def right_x(self) -> int:
        return self.left + self.plot_width

    @property
    def tick_end_y(self) -> int:
        return self.bottom_y + 5


FRAME = Frame()


@dataclass
class TargetMarks:
    """The target's dashed line and, when it has a date, the vertical line at that date."""

    y: float
    label: str
    date_label: str  # "Target date: 31 Dec 2030", or that there is none
    date: str = ""  # "31 Dec 2030"
    x: float | None = None
    date_label_x: float | None = None


@dataclass
class Chart:
    title: str
    desc: str
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target: TargetMarks
    sources: Sequence[SourceRef]
    omitted: int  # observations in another unit than the target's, listed in the table only
    frame: Frame = FRAME
    progress: Sequence[ProgressLine] = ()


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _new_year(year: int) -> int:
    """The day number of 1 January of `year`; past the last year a date can hold, the day after
    31.12.9999 (which no date can name, but a day count can)."""
    if year > dt.MAXYEAR:
        return dt.date.max.toordinal() + 1
    return dt.date(year, 1, 1).toordinal()


@dataclass(frozen=True)
class Axes:
    """Whole calendar years across, zero to a round ceiling above the target and every figure up."""

    first_year: int
    last_year: int
    y_max: float

    @classmethod
    def fitting(cls, groups: Sequence[PeriodGroup], commitment: Commitment, target: float) -> Axes:
        dates = [d for g in groups for d in (g.start, g.end)]
        dates += [d for d in (commitment.target_date, commitment.announced_on) if d]
        if not dates:
            dates = [
                timezone.localdate(clock.now())
            ]  # a placeholder axis until the first observation
        values = [float(r.observation.value) for g in groups for r in g.rows]
        return cls(
            first_year=min(dates).year,
            last_year=max(dates).year,
            y_max=_nice_ceiling(max([target, *values]) * 1.08),
        )

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    def x_of(self, day: dt.date, *, day_after: bool = False) -> float:
        """Where `day` begins across the plot (where it ends with `day_after`). Counted in day
        numbers, never by building the next day or year: a date stored as 31.12.9999 has none."""
        start = self.start.toordinal()
        span_days = _new_year(self.last_year + 1) - start
        return LEFT + PLOT_W * (day.toordinal() + day_after - start) / span_days

    def y_of(self, value: float) -> float:
        return TOP + PLOT_H * (1 - value / self.y_max)

    def x_ticks(self) -> list[Tick]:
        step = max(1, math.ceil((self.last_year - self.first_year + 1) / 10))
        return [
            Tick(round(self.x_of(dt.date(year, 1, 1)), 1), str(year))
            for year in range(self.first_year, min(self.last_year + 1, dt.MAXYEAR) + 1, step)
        ]

    def y_ticks(self) -> list[Tick]:
        return [
            Tick(
                round(self.y_of(self.y_max * i / 5), 1),
                format_amount(self.y_max * i / 5, short=True),
            )
            for i in range(6)
        ]


def _groups_in_unit(table: ObservationTable, unit: str) -> tuple[list[PeriodGroup], int]:
    """The periods with figures in the target's unit, and how many figures were left out."""
    groups = [
        PeriodGroup(g.start, g.end, g.label, [r for r in g.rows if r.observation.unit == unit])
        for g in table.groups
    ]
    omitted = sum(len(g.rows) for g in table.groups) - sum(len(g.rows) for g in groups)
    return [g for g in groups if g.rows], omitted


def _bars(groups: Sequence[PeriodGroup], axes: Axes) -> list[Bar]:
    """One bar per figure, the figures of one period side by side across (at least) its span."""
    bars: list[Bar] = []
    for group in groups:
        x0, x1 = axes.x_of(group.start), axes.x_of(group.end, day_after=True)
        n = len(group.rows)
        width = max(x1 - x0, n * MIN_BAR_W)
        left = max(LEFT, min((x0 + x1 - width) / 2, LEFT + PLOT_W - width))
        bar_w = width / n
        for i, row in enumerate(group.rows):
            y = axes.y_of(float(row.observation.value))
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
                    title=_("%(period)s: %(value)s, source [%(number)s] %(source)s")
                    % {
                        "period": group.label,
                        "value": row.value_text,
                        "number": row.source.number,
                        "source": row.source.label,
                    },
                    show_value=bar_w >= 6.5 * len(short),
                )
            )
    return bars


def _target_marks(commitment: Commitment, axes: Axes) -> TargetMarks:
    marks = TargetMarks(
        y=round(axes.y_of(float(commitment.target_amount)), 1),
        label=_("Target: %(amount)s")
        % {"amount": format_amount(commitment.target_amount, commitment.target_unit)},
        date_label=_("No target date given"),
    )
    if commitment.target_date:
        marks.date = short_date(commitment.target_date)
        marks.date_label = _("Target date: %(date)s") % {"date": marks.date}
        marks.x = round(axes.x_of(commitment.target_date), 1)
        # Right-aligned on the date line, but never running off the plot's left edge.
        marks.date_label_x = round(min(max(marks.x, LEFT + 130), LEFT + PLOT_W), 1)
    return marks


def _lower_first(text: str) -> str:
    """ "Target date: 31 Dec 2030" -> "target date: 31 Dec 2030", to follow a comma: only the
    first letter, so a month's name keeps its capital."""
    return text[:1].lower() + text[1:]


def _description(
    groups: Sequence[PeriodGroup], target: TargetMarks, progress: Sequence[ProgressLine] = ()
) -> str:
    """The chart in words (its SVG `<desc>`), figure by figure with their sources."""
    parts = []
    for group in groups:
        reported = "; ".join(
            _("%(value)s according to [%(number)s] %(source)s")
            % {"value": r.value_text, "number": r.source.number, "source": r.source.label}
            for r in group.rows
        )
        disagree = f" ({group.conflict_text})" if group.conflicting else ""
        parts.append(f"{group.label}: {reported}{disagree}.")
    return (
        f"{target.label}, {_lower_first(target.date_label)}. "
        + (" ".join(parts) if parts else _("No observations recorded yet."))
        + "".join(f" {line.label}: {line.verdict}." for line in progress)
        + " "
        + _("The table below gives the same figures with their sources.")
    )


def progress_chart(
    commitment: Commitment, table: ObservationTable, progress: Sequence[ProgressLine] = ()
) -> Chart | None:
    """Lay out the chart of `table` against the commitment's target; None without a target.
    `progress` (progress_lines) is said under the chart and in its description."""
    if commitment.target_amount is None:
        return None
    groups, omitted = _groups_in_unit(table, commitment.target_unit)
    axes = Axes.fitting(groups, commitment, float(commitment.target_amount))
    target = _target_marks(commitment, axes)
    return Chart(
        title=_("Progress toward the target: %(title)s") % {"title": commitment.title},
        desc=_description(groups, target, progress),
        bars=_bars(groups, axes),
        x_ticks=axes.x_ticks(),
        y_ticks=axes.y_ticks(),
        target=target,
        sources=table.sources,
        omitted=omitted,
        progress=progress,
    )
