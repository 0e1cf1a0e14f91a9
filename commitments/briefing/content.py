"""What a briefing says, gathered once into plain dataclasses that both renderers walk.

A briefing covers a scope (a meeting: the commitments announced there or at earlier meetings and
still open; a country: its open commitments, owned or partnered; or a hand-picked set), in one
language, with what changed since a date. Everything it reports comes from the record's own rules:
statuses and staleness (`rules`), the progress verdict and its rates (`progress`), the history
rows, the parties' accounts and the instrument's dates. The number of queries is fixed: it does
not grow with the number of commitments (a test pins it).

The document is dated by the record, never by the wall clock: "as of" is the record's last change
(the latest update or review of any commitment), and staleness and overdue targets are judged at
that moment, so the same inputs on the same record give the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from .. import access, progress, rules
from ..formatting import (
    country_name,
    format_amount,
    format_number,
    long_date,
    period_text,
    short_date,
    without_double_stop,
)
from ..models import (
    Commitment,
    Country,
    Evidence,
    InstrumentType,
    Meeting,
    ProgressObservation,
    StatusChange,
    TargetDateChange,
)
from ..progress import Progress
from ..rules import Status

LANGUAGES = ("ru", "kk", "ky", "en")
FORMATS = ("docx", "pdf")
# Without a meeting to count from, "what changed" looks back this far from the record's last change.
DEFAULT_LOOKBACK = timedelta(days=90)
MAX_IDS = 1000
# A quote longer than this is cut in the document (the record keeps it whole).
QUOTE_CHARS = 400


class BadBriefing(ValidationError):
    """Input a briefing cannot be built from; its messages name the field and the reason."""


@dataclass(frozen=True)
class Scope:
    """Which commitments: exactly one of a meeting's key, a country's code or ids."""

    meeting: str = ""
    country: str = ""
    ids: tuple[int, ...] = ()

    def key(self) -> str:
        if self.meeting:
            return f"meeting:{self.meeting}"
        if self.country:
            return f"country:{self.country}"
        return "ids:" + ",".join(str(i) for i in sorted(self.ids))


def check_inputs(scope: Scope, language: str, fmt: str | None = None) -> None:
    """Refuse a scope that names not exactly one thing, or an unknown language or format."""
    errors: dict[str, list] = {}
    named = [bool(scope.meeting), bool(scope.country), bool(scope.ids)]
    if sum(named) != 1:
        errors["scope"] = [_("Give exactly one of: a meeting, a country, or commitment ids.")]
    if len(scope.ids) > MAX_IDS:
        errors["ids"] = [_("At most %(max)d commitments in one briefing.") % {"max": MAX_IDS}]
    if language not in LANGUAGES:
        errors["language"] = [
            _("“%(value)s” is not a language of briefings. Choose one of: %(choices)s.")
            % {"value": language[:20], "choices": ", ".join(LANGUAGES)}
        ]
    if fmt is not None and fmt not in FORMATS:
        errors["format"] = [
            _("“%(value)s” is not a format of briefings. Choose one of: %(choices)s.")
            % {"value": fmt[:20], "choices": ", ".join(FORMATS)}
        ]
    if errors:
        raise BadBriefing(errors)


def parse_since(value: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD), or None when not given; a bad one is refused."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        parsed = None
    if parsed is None or not rules.EARLIEST_DATE <= parsed <= rules.LATEST_DATE:
        raise BadBriefing(
            {"since": [_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:40]}]}
        )
    return parsed


def parse_ids(value: str) -> tuple[int, ...]:
    """Ids as "3,5,8"; anything else is refused."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    try:
        ids = tuple(sorted({int(p) for p in parts}))
    except ValueError:
        ids = ()
    if not ids or any(i <= 0 for i in ids):
        raise BadBriefing({"ids": [_("Give commitment ids as numbers separated by commas.")]})
    return ids


# --- The document's content -----------------------------------------------------------------------


@dataclass
class Change:
    on: str  # the date, as the language writes it
    kind: str  # status / evidence / figure / target date
    text: str
    quote: str = ""


@dataclass
class Rate:
    reporter: str
    verdict: str
    latest: str
    observed: str
    needed: str


@dataclass
class PartyLine:
    country: str
    status: str = ""
    reported_on: str = ""
    signed: str = ""
    ratified: str = ""
    in_force: str = ""


@dataclass
class Entry:
    """One commitment, as the briefing reports it."""

    id: int
    title: str
    owner: str
    partners: str
    category: str
    meeting: str
    status: str
    status_code: str
    status_since: str
    status_line: str
    progress: str
    progress_code: str
    target: str
    rates: list[Rate]
    target_date: str
    original_target_date: str
    has_deadline: bool
    postponements: int
    postponement_lines: list[str]
    overdue: bool
    stale: bool
    last_reviewed: str
    diverge: bool
    positions: list[PartyLine]
    instrument: str
    instrument_parties: list[PartyLine]
    responsible: str
    changes: list[Change]


@dataclass
class Bar:
    label: str
    count: int
    share: float  # of the largest bar, 0..1, for the chart


@dataclass
class Summary:
    total: int
    by_status: list[Bar]
    by_progress: list[Bar]
    overdue: int
    stale: int
    slipped: int
    diverging: int
    changed: int


@dataclass
class Briefing:
    language: str
    title: str
    scope_line: str
    as_of: datetime | None
    as_of_text: str
    since: date
    since_text: str
    dates_line: str
    summary: Summary
    entries: list[Entry]
    labels: dict[str, str] = field(default_factory=dict)


# Every heading and label the two renderers print, so the DOCX and the PDF say the same words.
LABELS = {
    "title": gettext_lazy("Briefing on the implementation of commitments"),
    "as_of": gettext_lazy("As of"),
    "since": gettext_lazy("Changes since"),
    "summary": gettext_lazy("Summary"),
    "total": gettext_lazy("Commitments in this briefing"),
    "by_status": gettext_lazy("By status"),
    "by_progress": gettext_lazy("By progress toward the target"),
    "overdue": gettext_lazy("Past the target date"),
    "stale": gettext_lazy("Not reviewed for long"),
    "slipped": gettext_lazy("Target date postponed"),
    "diverging": gettext_lazy("Parties' accounts differ"),
    "changed": gettext_lazy("Changed since that date"),
    "commitments": gettext_lazy("Commitments"),
    "number": gettext_lazy("No."),
    "commitment": gettext_lazy("Commitment"),
    "status": gettext_lazy("Status"),
    "progress": gettext_lazy("Progress"),
    "target_date": gettext_lazy("Target date"),
    "responsible": gettext_lazy("Responsible"),
    "owner": gettext_lazy("Owner country"),
    "partners": gettext_lazy("Partner countries"),
    "category": gettext_lazy("Category"),
    "meeting": gettext_lazy("Meeting"),
    "target": gettext_lazy("Quantitative target"),
    "rates": gettext_lazy("Rates (per year)"),
    "reporter": gettext_lazy("Figures of"),
    "latest": gettext_lazy("Latest figure"),
    "observed": gettext_lazy("Observed rate"),
    "needed": gettext_lazy("Needed rate"),
    "deadline": gettext_lazy("Deadline"),
    "original_target_date": gettext_lazy("Original target date"),
    "current_target_date": gettext_lazy("Current target date"),
    "postponements": gettext_lazy("Postponements"),
    "positions": gettext_lazy("The parties' accounts differ"),
    "reported_on": gettext_lazy("Reported on"),
    "instrument": gettext_lazy("Legal instrument"),
    "signed": gettext_lazy("Signed"),
    "ratified": gettext_lazy("Ratified or approved"),
    "in_force": gettext_lazy("In force"),
    "country": gettext_lazy("Country"),
    "changes": gettext_lazy("What changed"),
    "no_changes": gettext_lazy("No changes since that date."),
    "last_reviewed": gettext_lazy("Last reviewed"),
    "flag_overdue": gettext_lazy("past the target date"),
    "flag_stale": gettext_lazy("not reviewed for long"),
    "empty": gettext_lazy("No commitments in this scope."),
    "kind_status": pgettext_lazy("briefing change", "Status"),
    "kind_evidence": pgettext_lazy("briefing change", "Evidence"),
    "kind_figure": pgettext_lazy("briefing change", "Figure"),
    "kind_target_date": pgettext_lazy("briefing change", "Target date"),
}


def _labels() -> dict[str, str]:
    return {key: str(value) for key, value in LABELS.items()}


# --- Gathering ------------------------------------------------------------------------------------


def record_as_of() -> datetime | None:
    """The record's last change: the latest update or review of any commitment (one query)."""
    found = Commitment.objects.aggregate(
        updated=Max("updated_at"), reviewed=Max("last_reviewed_at")
    )
    moments = [m for m in found.values() if m is not None]
    return max(moments) if moments else None


def resolve(scope: Scope) -> tuple[object, Meeting | None, Country | None]:
    """The scope's commitments queryset (not yet evaluated) and its meeting or country; an
    unknown meeting or country is refused."""
    base = Commitment.objects.all()
    if scope.meeting:
        meeting = Meeting.objects.filter(key=scope.meeting).first()
        if meeting is None:
            raise BadBriefing(
                {"meeting": [_("No meeting with the key “%(key)s”.") % {"key": scope.meeting[:80]}]}
            )
        queryset = base.filter(meeting__held_on__lte=meeting.held_on).open()
        return queryset, meeting, None
    if scope.country:
        code = scope.country.upper()
        country = Country.objects.filter(code=code).first()
        if country is None:
            raise BadBriefing(
                {"country": [_("No country with the code “%(code)s”.") % {"code": code[:10]}]}
            )
        return base.involving([code]).open(), None, country
    return base.filter(pk__in=scope.ids), None, None


def default_since(meeting: Meeting | None, as_of: datetime | None) -> date:
    """The previous meeting's date for a meeting's briefing, else 90 days before the record's
    last change."""
    if meeting is not None:
        previous = (
            Meeting.objects.filter(held_on__lt=meeting.held_on)
            .order_by("-held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        if previous is not None:
            return previous
    if as_of is None:
        return rules.EARLIEST_DATE
    return timezone.localdate(as_of) - DEFAULT_LOOKBACK


def scoped_rows(queryset) -> list[Commitment]:
    """The commitments with everything the briefing prints, in a fixed number of queries."""
    evidence = Evidence.objects.select_related("source").only(
        "id",
        "commitment_id",
        "quote",
        "url",
        "note",
        "observed_on",
        "created_at",
        "source__id",
        "source__title",
        "source__publisher",
        "source__published_on",
    )
    observations = ProgressObservation.objects.select_related("evidence").only(
        "id",
        "commitment_id",
        "value",
        "unit",
        "period_start",
        "period_end",
        "period_label",
        "reported_by_id",
        "created_at",
        "evidence__id",
        "evidence__source_id",
        "evidence__observed_on",
    )
    return list(
        queryset.select_related("owner_country", "meeting")
        .prefetch_related(
            "partner_countries",
            "responsible_users",
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("changed_at", "id")),
            Prefetch(
                "target_date_changes",
                queryset=TargetDateChange.objects.order_by("changed_at", "id"),
            ),
            Prefetch("evidence", queryset=evidence.order_by("observed_on", "id")),
            Prefetch("observations", queryset=observations.order_by("period_end", "id")),
            "party_positions",
            "instrument_parties",
        )
        .order_by("meeting__held_on", "id")
    )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _rate(value, unit: str) -> str:
    if value is None:
        return "—"
    return format_amount(value, unit, short=True) if unit else format_number(value)


def _status_since(commitment: Commitment) -> date | datetime:
    moves = [s for s in commitment.status_changes.all() if s.new_status == commitment.status]
    return moves[-1].changed_at if moves else commitment.created_at


def _moment_on_or_after(moment: datetime, since: date) -> bool:
    return timezone.localdate(moment) >= since


def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _changes(commitment: Commitment, since: date, labels: dict[str, str]) -> list[Change]:
    found: list[tuple[date, int, Change]] = []
    for move in commitment.status_changes.all():
        if not _moment_on_or_after(move.changed_at, since):
            continue
        text = pgettext("briefing change", "%(old)s → %(new)s") % {
            "old": move.get_old_status_display() or "—",
            "new": move.get_new_status_display(),
        }
        if move.note:
            text = f"{text}. {move.note}"
        day = timezone.localdate(move.changed_at)
        found.append((day, 0, Change(short_date(day), labels["kind_status"], text)))
    for item in commitment.evidence.all():
        if item.observed_on < since and not _moment_on_or_after(item.created_at, since):
            continue
        source = item.source
        text = ""
        if source is not None:
            text = ", ".join(p for p in (source.publisher, source.title) if p)
            text += f" ({short_date(source.published_on)})"
        elif item.url:
            text = item.url
        if item.note:
            text = f"{text}. {item.note}" if text else item.note
        quote = pgettext("quoted text", "“%(text)s”") % {"text": _cut(item.quote)}
        change = Change(
            short_date(item.observed_on), labels["kind_evidence"], text, quote if item.quote else ""
        )
        found.append((item.observed_on, 1, change))
    for figure in commitment.observations.all():
        # A figure is dated as its evidence reports it; one recorded in the period counts too.
        reported = figure.evidence.observed_on
        if reported < since and not _moment_on_or_after(figure.created_at, since):
            continue
        text = format_amount(figure.value, figure.unit)
        text = f"{text} ({period_text(figure.period_start, figure.period_end)})"
        if figure.reported_by_id:
            text += f", {country_name(figure.reported_by_id)}"
        found.append((reported, 2, Change(short_date(reported), labels["kind_figure"], text)))
    for move in commitment.target_date_changes.all():
        if not _moment_on_or_after(move.changed_at, since):
            continue
        text = pgettext("briefing change", "%(old)s → %(new)s") % {
            "old": short_date(move.old_date) or "—",
            "new": short_date(move.new_date) or "—",
        }
        if move.reason:
            text = f"{text}. {move.reason}"
        day = timezone.localdate(move.changed_at)
        found.append((day, 3, Change(short_date(day), labels["kind_target_date"], text)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [change for _day, _order, change in found]


def _rates(commitment: Commitment) -> list[Rate]:
    """Each series' verdict, latest figure and rates per year (`progress.assess`)."""
    progress_labels = dict(Progress.choices)
    assessments = progress.assess(
        progress.points_of(commitment.observations.all()),
        target=commitment.target_amount,
        target_date=commitment.target_date,
    )
    unit = commitment.target_unit
    sources = {e.source_id: e.source for e in commitment.evidence.all() if e.source_id}
    publishers = [s.publisher for s in sources.values() if s.publisher]
    rates = []
    for a in assessments:
        if a.latest is None and a.observed_rate is None and a.needed_rate is None:
            continue  # nothing measured: the verdict alone says it
        source = sources.get(a.source_id)
        if a.reporter:
            reporter = country_name(a.reporter)
        elif source is None:
            reporter = "—"
        elif source.publisher and publishers.count(source.publisher) == 1:
            reporter = f"{source.publisher} ({short_date(source.published_on)})"
        else:
            # Two articles of one publisher are two series: the title tells them apart.
            title = Truncator(source.title).chars(50)
            name = f"{source.publisher}: {title}" if source.publisher else title
            reporter = f"{name} ({short_date(source.published_on)})"
        rates.append(
            Rate(
                reporter=reporter,
                verdict=str(progress_labels[a.progress]),
                latest=_rate(a.latest, unit),
                observed=_rate(a.observed_rate, unit),
                needed=_rate(a.needed_rate, unit),
            )
        )
    return rates


def _postponements(commitment: Commitment) -> list[str]:
    return [
        pgettext("briefing change", "%(old)s → %(new)s")
        % {
            "old": short_date(m.old_date) or "—",
            "new": short_date(m.new_date) or "—",
        }
        + (f" ({short_date(m.changed_at)}): {m.reason}" if m.reason else "")
        for m in commitment.target_date_changes.all()
        if m.is_postponement
    ]


def _parties(commitment: Commitment) -> tuple[list[PartyLine], list[PartyLine]]:
    """The parties' own accounts (when they diverge) and the instrument's dates per party."""
    status_labels = dict(Status.choices)
    positions = [
        PartyLine(
            country=country_name(p.country_id),
            status=str(status_labels.get(p.status, p.status)),
            reported_on=short_date(p.reported_on),
        )
        for p in sorted(commitment.party_positions.all(), key=lambda p: p.country_id)
    ]
    instrument_parties = [
        PartyLine(
            country=country_name(p.country_id),
            signed=short_date(p.signed_on) or "—",
            ratified=short_date(p.ratified_on) or "—",
            in_force=short_date(p.in_force_on) or "—",
        )
        for p in sorted(commitment.instrument_parties.all(), key=lambda p: p.country_id)
    ]
    return (
        positions if commitment.positions_diverge else [],
        instrument_parties if commitment.instrument_type else [],
    )


def _entry(commitment: Commitment, since: date, as_of: datetime | None, labels) -> Entry:
    status_labels = dict(Status.choices)
    progress_labels = dict(Progress.choices)
    today = timezone.localdate(as_of) if as_of else None
    unit = commitment.target_unit
    positions, instrument_parties = _parties(commitment)
    partners = sorted(commitment.partner_countries.all(), key=lambda c: c.code)
    people = sorted(commitment.responsible_users.all(), key=lambda u: u.get_username())
    meeting = commitment.meeting
    overdue = bool(
        today
        and commitment.target_date
        and commitment.target_date < today
        and not rules.is_final(commitment.status)
    )
    return Entry(
        id=commitment.pk,
        title=commitment.title,
        owner=country_name(commitment.owner_country_id, commitment.owner_country.name),
        partners=", ".join(country_name(c.code, c.name) for c in partners) or "—",
        category=commitment.get_category_display(),
        meeting=f"{meeting.name} ({short_date(meeting.held_on)})" if meeting else "",
        status=str(status_labels[commitment.status]),
        status_code=commitment.status,
        status_since=short_date(_status_since(commitment)),
        status_line=pgettext("briefing", "%(status)s since %(date)s")
        % {
            "status": status_labels[commitment.status],
            "date": short_date(_status_since(commitment)),
        },
        progress=str(progress_labels.get(commitment.progress, commitment.progress)),
        progress_code=commitment.progress,
        target=format_amount(commitment.target_amount, unit)
        if commitment.target_amount is not None
        else "",
        rates=_rates(commitment),
        target_date=short_date(commitment.target_date) or "—",
        original_target_date=short_date(commitment.original_target_date) or "—",
        has_deadline=bool(commitment.target_date or commitment.original_target_date),
        postponements=commitment.postponements,
        postponement_lines=_postponements(commitment),
        overdue=overdue,
        stale=bool(as_of and commitment.is_stale(as_of)),
        last_reviewed=short_date(commitment.last_reviewed_at),
        diverge=commitment.positions_diverge,
        positions=positions,
        instrument=str(InstrumentType(commitment.instrument_type).label)
        if commitment.instrument_type
        else "",
        instrument_parties=instrument_parties,
        responsible=", ".join(_person(u) for u in people) or "—",
        changes=_changes(commitment, since, labels),
    )


def _bars(counts: list[tuple[str, int]]) -> list[Bar]:
    largest = max([count for _label, count in counts] + [1])
    return [Bar(label, count, count / largest) for label, count in counts]


def _summary(entries: list[Entry]) -> Summary:
    by_status = [
        (str(label), sum(e.status_code == code for e in entries)) for code, label in Status.choices
    ]
    by_progress = [
        (str(label), sum(e.progress_code == code for e in entries))
        for code, label in Progress.choices
    ]
    return Summary(
        total=len(entries),
        by_status=_bars(by_status),
        by_progress=_bars(by_progress),
        overdue=sum(e.overdue for e in entries),
        stale=sum(e.stale for e in entries),
        slipped=sum(e.postponements > 0 for e in entries),
        diverging=sum(e.diverge for e in entries),
        changed=sum(bool(e.changes) for e in entries),
    )


def _scope_line(scope: Scope, meeting: Meeting | None, country: Country | None) -> str:
    if meeting is not None:
        return _(
            "For %(meeting)s (%(date)s): the commitments announced there or at earlier "
            "meetings and still open."
        ) % {"meeting": meeting.name, "date": long_date(meeting.held_on)}
    if country is not None:
        return _("For %(country)s: its open commitments, as owner or partner.") % {
            "country": country.local_name
        }
    return _("For a selection of commitments.")


def build(
    scope: Scope,
    *,
    language: str,
    since: date | None = None,
    user=None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Briefing:
    """The briefing's content in `language`. With `user`, only the commitments their countries
    may act on (the admin's scope). `on_progress(done, total)` is told as entries are built (the
    task records it for staff to see)."""
    check_inputs(scope, language)
    with translation.override(language):
        queryset, meeting, country = resolve(scope)
        if user is not None:
            queryset = access.editable_commitments(user, queryset)
        as_of = record_as_of()
        since = since or default_since(meeting, as_of)
        labels = _labels()
        rows = scoped_rows(queryset)
        entries = []
        for number, commitment in enumerate(rows, start=1):
            entries.append(_entry(commitment, since, as_of, labels))
            if on_progress is not None:
                on_progress(number, len(rows))
        as_of_text = long_date(as_of) if as_of else "—"
        dates_line = without_double_stop(
            f"{labels['as_of']}: {as_of_text}. {labels['since']}: {long_date(since)}."
        )
        return Briefing(
            language=language,
            title=labels["title"],
            scope_line=_scope_line(scope, meeting, country),
            as_of=as_of,
            as_of_text=as_of_text,
            since=since,
            since_text=long_date(since),
            dates_line=dates_line,
            summary=_summary(entries),
            entries=entries,
            labels=labels,
        )


def scope_size(scope: Scope, user=None) -> int:
    """How many commitments the scope holds (one query after the scope's own)."""
    queryset, _meeting, _country = resolve(scope)
    if user is not None:
        queryset = access.editable_commitments(user, queryset)
    return queryset.count()
