"""Reads of commitments: each list built in one place, with the relations it shows loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q
from django.utils import timezone

from . import clock, fields, progress, rules, translation
from .models import (
    Commitment,
    CommitmentQuerySet,
    Country,
    Evidence,
    InstrumentParty,
    PartyPosition,
    ProgressObservation,
    StatusChange,
    TargetDateChange,
)
from .rules import Status
from .search import search_commitments

# --- Public pages ---------------------------------------------------------------------------------
# Each public page reads through one of these, with a fixed number of queries however many rows.


def public_commitment_list(
    *,
    now: datetime | None = None,
    country: str = "",
    status: str = "",
    category: str = "",
    stale: bool | None = None,
    search: str = "",
    progress: str = "",
    slipped: bool | None = None,
    diverging: bool = False,
) -> CommitmentQuerySet:
    """Commitments for the public list: owner and partners loaded, `stale` annotated, filtered.

    `country` matches the owner or any partner; `search` means what it means in the API
    (`search.search_commitments`).
    """
    now = now or clock.now()
    queryset = (
        Commitment.objects.select_related("owner_country")
        .prefetch_related("partner_countries")
        .with_is_stale(now)
    )
    if country:
        queryset = queryset.involving([country])
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if stale is True:
        queryset = queryset.stale(now)
    elif stale is False:
        queryset = queryset.not_stale(now)
    if progress:
        queryset = queryset.filter(progress=progress)
    if slipped is True:
        queryset = queryset.slipped()
    elif slipped is False:
        queryset = queryset.filter(postponements=0)
    if diverging:
        queryset = queryset.filter(positions_diverge=True)
    queryset = search_commitments(queryset, search)
    return queryset.order_by("-updated_at", "-id")


def public_commitment_detail(*, slug: str, now: datetime | None = None) -> Commitment:
    """One commitment with everything its public page shows, in a fixed number of queries.

    Raises Commitment.DoesNotExist for an unknown slug.
    """
    return (
        Commitment.objects.select_related("owner_country", "meeting")
        .prefetch_related(
            "partner_countries",
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("source").defer("source__text"),
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("changed_at", "id")),
            Prefetch(
                "observations",
                queryset=ProgressObservation.objects.select_related(
                    "evidence__source", "reported_by"
                )
                .defer("evidence__source__text")
                .order_by("period_start", "period_end", "id"),
            ),
            Prefetch(
                "target_date_changes",
                queryset=TargetDateChange.objects.select_related("source")
                .defer("source__text")
                .order_by("changed_at", "id"),
            ),
            Prefetch(
                "party_positions",
                queryset=PartyPosition.objects.select_related("country", "source").defer(
                    "source__text"
                ),
            ),
            Prefetch(
                "instrument_parties",
                queryset=InstrumentParty.objects.select_related(
                    "country", "evidence__source"
                ).defer("evidence__source__text"),
            ),
        )
        .with_is_stale(now or clock.now())
        .get(slug=slug)
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event on a commitment's public timeline: a status change or a piece of evidence."""

    on: date
    kind: str  # "status" or "evidence"
    item: StatusChange | Evidence


def commitment_timeline(commitment: Commitment) -> list[TimelineEntry]:
    """Evidence and status changes of an already loaded commitment, merged in date order.

    On the same day a status change comes before the evidence, as the move is what the evidence
    reports on; ties within a kind keep their recording order.
    """
    entries = [
        TimelineEntry(timezone.localdate(change.changed_at), "status", change)
        for change in commitment.status_changes.all()
    ]
    entries += [TimelineEntry(ev.observed_on, "evidence", ev) for ev in commitment.evidence.all()]
    return sorted(entries, key=lambda e: (e.on, e.kind != "status", e.item.pk))


@dataclass
class CountryStatusCounts:
    country: Country
    by_status: dict[str, int]
    total: int
    open: int
    stale: int

    @property
    def stale_share(self) -> float | None:
        """Stale commitments as a share of open ones (final ones are never stale)."""
        return self.stale / self.open if self.open else None


def dashboard_country_counts(*, now: datetime | None = None) -> list[CountryStatusCounts]:
    """Per country, the commitments it owns or partners in, by status, and how many are stale.

    Three queries whatever the number of commitments: countries, owned counts, partnered counts.
    A country listed as both owner and partner of one commitment counts it once.
    """
    now = now or clock.now()
    countries = list(Country.objects.order_by("code"))
    counts = {c.code: dict.fromkeys(Status.values, 0) for c in countries}
    stale = dict.fromkeys(counts, 0)
    owned = (
        Commitment.objects.values("owner_country_id", "status")
        .annotate(n=Count("id"), n_stale=Count("id", filter=rules.stale_condition(now)))
        .order_by()
    )
    for row in owned:
        counts[row["owner_country_id"]][row["status"]] += row["n"]
        stale[row["owner_country_id"]] += row["n_stale"]
    through = Commitment.partner_countries.through
    partnered = (
        through.objects.exclude(country_id=F("commitment__owner_country_id"))
        .values("country_id", "commitment__status")
        .annotate(
            n=Count("commitment_id"),
            n_stale=Count(
                "commitment_id", filter=rules.stale_condition(now, prefix="commitment__")
            ),
        )
        .order_by()
    )
    for row in partnered:
        counts[row["country_id"]][row["commitment__status"]] += row["n"]
        stale[row["country_id"]] += row["n_stale"]
    result = []
    for country in countries:
        by_status = counts[country.code]
        result.append(
            CountryStatusCounts(
                country=country,
                by_status=by_status,
                total=sum(by_status.values()),
                open=sum(by_status[s] for s in rules.OPEN_STATUSES),
                stale=stale[country.code],
            )
        )
    return result


def dashboard_totals(*, now: datetime | None = None) -> dict[str, int]:
    """All commitments, open ones and stale ones, in one query."""
    now = now or clock.now()
    return Commitment.objects.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=rules.OPEN_STATUSES)),
        stale=Count("id", filter=rules.stale_condition(now)),
    )


def targets_due(*, today: date, days: int = 365) -> CommitmentQuerySet:
    """Open commitments whose target date falls within `days` from `today` (inclusive)."""
    return (
        Commitment.objects.open()
        .filter(target_date__gte=today, target_date__lte=today + timedelta(days=days))
        .select_related("owner_country")
        .order_by("target_date", "title")
    )


def diverging_commitments(*, limit: int = 20) -> CommitmentQuerySet:
    """Commitments whose party countries report different statuses, with those positions."""
    return (
        Commitment.objects.filter(positions_diverge=True)
        .select_related("owner_country")
        .prefetch_related(
            Prefetch("party_positions", queryset=PartyPosition.objects.select_related("country"))
        )
        .order_by("-updated_at", "-id")[:limit]
    )


def latest_status_changes(*, country: str = "", limit: int | None = 10):
    """The most recent status changes (newest first), with their commitments loaded."""
    queryset = StatusChange.objects.select_related("commitment", "commitment__owner_country")
    if country:
        queryset = queryset.filter(
            commitment__in=Commitment.objects.involving([country]).values("pk")
        )
    queryset = queryset.order_by("-changed_at", "-id")
    return queryset[:limit] if limit else queryset


def latest_target_date_changes(*, country: str = "", limit: int | None = 10):
    """The most recent moves of target dates (newest first), with their commitments loaded."""
    queryset = TargetDateChange.objects.select_related(
        "commitment", "commitment__owner_country", "source"
    )
    if country:
        queryset = queryset.filter(
            commitment__in=Commitment.objects.involving([country]).values("pk")
        )
    queryset = queryset.order_by("-changed_at", "-id")
    return queryset[:limit] if limit else queryset


def commitments_with_target_dates(*, country: str = "") -> CommitmentQuerySet:
    """Commitments that have a target date, for the calendar feed."""
    queryset = Commitment.objects.filter(target_date__isnull=False).select_related("owner_country")
    if country:
        queryset = queryset.involving([country])
    return queryset.order_by("target_date", "id")


# --- Admin ---------------------------------------------------------------------------------------


def commitment_admin_list(*, now: datetime | None = None) -> CommitmentQuerySet:
    """The admin changelist: owner and partners loaded, `stale` annotated; no evidence loaded."""
    return (
        Commitment.objects.select_related("owner_country")
        .prefetch_related("partner_countries")
        .with_is_stale(now or clock.now())
    )


# --- REST API -------------------------------------------------------------------------------------


# The API list reads plain rows, not model instances: a page of 50 commitments with their 150
# evidence rows built ~400 instances and their related managers per request, half the list's time.
API_COMMITMENT_COLUMNS = fields.API_COLUMNS
API_EVIDENCE_COLUMNS = (
    "id",
    "commitment_id",
    "source_id",
    "source__title",
    "quote",
    "url",
    "note",
    "observed_on",
    "added_by_id",
)


def commitment_api_list(*, now: datetime | None = None) -> CommitmentQuerySet:
    """The API's commitments: one query per page, plus one for partners and one for evidence.

    The owner country is shown as its ISO code, which is the foreign key's value, so it needs no
    join; the sources' full texts are not loaded, only their titles. `stale` comes from the one
    staleness rule, evaluated in the database at `now`.
    """
    return Commitment.objects.prefetch_related(
        # Plain lists (`partner_list`, `evidence_list`): reading them per row builds no querysets.
        Prefetch(
            "partner_countries", queryset=Country.objects.only("code"), to_attr="partner_list"
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("source").only(*API_EVIDENCE_COLUMNS),
            to_attr="evidence_list",
        ),
    ).with_is_stale(now or clock.now())


def commitment_api_rows(
    language: str = translation.SOURCE_LANGUAGE, *, every_language: bool = False
) -> CommitmentQuerySet:
    """The API's commitments as dicts of `fields.api_columns(language)`; filter and page it,
    then `with_api_relations` adds `stale`, the text in `language` and the page's partners and
    evidence.

    On PostgreSQL each row also carries its sorted partner codes (`partner_codes`, an array
    subquery run only for the rows of the page), which saves the page a query.
    """
    # The language columns are named here, so modeltranslation's own rewriting (which would pick
    # one language per row a second time) is off.
    queryset = Commitment.objects.rewrite(False)
    extra = ()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        partners = Commitment.partner_countries.through.objects.filter(
            commitment_id=OuterRef("pk")
        ).order_by("country_id")
        queryset = queryset.annotate(partner_codes=ArraySubquery(partners.values("country_id")))
        extra = ("partner_codes",)
    columns = fields.api_columns(language, every_language=every_language)
    return queryset.values(*columns, *extra)


def with_api_relations(
    rows: list[dict],
    *,
    now: datetime,
    language: str = translation.SOURCE_LANGUAGE,
    every_language: bool = False,
) -> list[dict]:
    """Give each row `stale` (at `now`), its translated fields in `language` (English where that
    has no text; `untranslated` names those, `translations` holds every language's text with
    every_language, else None), `partner_codes` (sorted ISO codes; unless it has them) and
    `evidence` (dicts of API_EVIDENCE_COLUMNS, in observation order): at most two queries for the
    whole page. The parties' accounts (`with_party_accounts`) are not read here: the list shows
    their summaries, stored on the commitment; one commitment shows them in full.

    `stale` is the staleness rule applied to the row's own status and review time, which are
    already here: cheaper than building the rule's SQL form into the page's query. The `stale`
    filter still uses the SQL form, at the same `now`, so both agree.
    """
    by_id = {}
    need_partners = False
    translated = fields.API_TRANSLATED
    for row in rows:
        row["stale"] = rules.is_stale(row["status"], row["last_reviewed_at"], now)
        row["untranslated"] = translation.pick(row, translated, language)
        row["translations"] = (
            translation.every_translation(row, translated) if every_language else None
        )
        if "partner_codes" not in row:
            row["partner_codes"] = []
            need_partners = True
        row["evidence"] = []
        by_id[row["id"]] = row
    if not by_id:
        return rows
    if need_partners:
        partners = Commitment.partner_countries.through.objects.filter(commitment_id__in=by_id)
        for commitment_id, code in partners.order_by("country_id").values_list(
            "commitment_id", "country_id"
        ):
            by_id[commitment_id]["partner_codes"].append(code)
    evidence = Evidence.objects.filter(commitment_id__in=by_id).order_by("observed_on", "id")
    for item in evidence.values(*API_EVIDENCE_COLUMNS):
        by_id[item["commitment_id"]]["evidence"].append(item)
    return rows


def _amount(value) -> str | None:
    return None if value is None else format(value, ".2f")


def with_party_accounts(by_id: dict[int, dict]) -> None:
    """Give each row (by commitment id; it has `status`, `instrument_type`, `target_amount`,
    `target_date` and `partner_codes`) its `party_positions`, `instrument_parties`,
    `suggested_status` and `progress_series`: three queries however many rows. The API's detail
    reads them; its list does not (it shows the summaries stored on the commitment)."""
    for row in by_id.values():
        row["party_positions"] = []
        row["instrument_parties"] = []
        row["points"] = []
    positions = PartyPosition.objects.filter(commitment_id__in=by_id).order_by("country_id")
    for p in positions.values(
        "commitment_id", "country_id", "status", "source_id", "reported_on", "note"
    ):
        by_id[p.pop("commitment_id")]["party_positions"].append(p)
    parties = InstrumentParty.objects.filter(commitment_id__in=by_id).order_by("country_id")
    for p in parties.values(
        "commitment_id", "country_id", *rules.INSTRUMENT_STEPS, "evidence_id", "note"
    ):
        by_id[p.pop("commitment_id")]["instrument_parties"].append(p)
    observations = ProgressObservation.objects.filter(commitment_id__in=by_id).values_list(
        "commitment_id",
        "value",
        "period_start",
        "period_end",
        "reported_by_id",
        "evidence__source_id",
    )
    for commitment_id, value, start, end, reporter, source_id in observations:
        by_id[commitment_id]["points"].append(
            progress.Point(value, start, end, progress.series_key(reporter, source_id))
        )
    for row in by_id.values():
        row["suggested_status"] = rules.suggested_status(
            row["status"],
            row["instrument_type"],
            row["instrument_parties"],
            1 + len(row["partner_codes"]),
        )
        assessments = progress.assess(
            row.pop("points"), target=row["target_amount"], target_date=row["target_date"]
        )
        row["progress_series"] = [
            {
                "reported_by": a.reporter or None,
                "source": a.source_id,
                "progress": a.progress.value,
                "figures": a.points,
                "latest": _amount(a.latest),
                "observed_rate": _amount(a.observed_rate),
                "needed_rate": _amount(a.needed_rate),
            }
            for a in assessments
        ]


# --- Progress, deadlines and the parties ----------------------------------------------------------


def commitment_progress(commitment: Commitment) -> str:
    """The commitment's overall progress from its stored observations (one query); the services
    store it on the commitment whenever an observation or the target changes."""
    observations = ProgressObservation.objects.filter(commitment=commitment).select_related(
        "evidence"
    )
    return progress.overall(
        progress.assess(
            progress.points_of(observations),
            target=commitment.target_amount,
            target_date=commitment.target_date,
        )
    )


def progress_assessments(commitment: Commitment) -> list[progress.Assessment]:
    """Per series (party or source), from observations already loaded with the commitment."""
    return progress.assess(
        progress.points_of(commitment.observations.all()),
        target=commitment.target_amount,
        target_date=commitment.target_date,
    )


def instrument_suggestion(commitment: Commitment) -> str:
    """The status a legal instrument's per-party dates suggest (rules.suggested_status), from the
    instrument parties and partner countries already loaded with the commitment."""
    parties = [
        {step: getattr(row, step) for step in rules.INSTRUMENT_STEPS}
        for row in commitment.instrument_parties.all()
    ]
    return rules.suggested_status(
        commitment.status,
        commitment.instrument_type,
        parties,
        1 + len(commitment.partner_countries.all()),
    )
