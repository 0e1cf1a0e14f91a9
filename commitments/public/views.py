"""The public, read-only pages: the list, one page per commitment, and the dashboard.

Each view reads through one selector per list, so a page costs the same number of queries however
many rows it shows (pinned in tests/public/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import clock, rules, selectors, translation
from ..formatting import format_amount, format_exact
from ..models import Category, Commitment, Country
from ..rules import Status
from . import charts
from .access import public_page
from .forms import CommitmentFilterForm

PAGE_SIZE = 25


@public_page
def commitment_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    countries = list(Country.objects.order_by("name"))
    form = CommitmentFilterForm(request.GET, countries=countries)
    if not form.is_valid():
        context = {"form": form, "page_obj": None, "querystring": "", "filtered": True}
        return render(request, "public/commitment_list.html", context, status=400)

    queryset = selectors.public_commitment_list(now=now, **form.selector_kwargs())
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(_("No such page.")) from exc
    page_obj.object_list = commitments = list(page_obj.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    filtered = any(form.cleaned_data.values())
    return render(
        request,
        "public/commitment_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "commitments": commitments,
            "english_titles": english_titles(commitments),
            "querystring": params.urlencode(),
            "filtered": filtered,
        },
    )


def english_titles(commitments: Iterable[Commitment]) -> set[int]:
    """The commitments whose title the page shows in English for want of one in its language;
    the template marks those titles lang="en"."""
    return {c.pk for c in commitments if translation.untranslated(c, ["title"])}


@public_page
def commitment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        commitment = selectors.public_commitment_detail(slug=slug)
    except Commitment.DoesNotExist as exc:
        raise Http404(_("No commitment with this address.")) from exc
    table = charts.observation_table(commitment.observations.all())
    partners = list(commitment.partner_countries.all())
    countries = {c.code: c.name for c in (commitment.owner_country, *partners)}
    sources = {
        o.evidence.source_id: o.evidence.source.title
        for o in commitment.observations.all()
        if o.evidence.source_id
    }
    progress = (
        charts.progress_lines(
            selectors.progress_assessments(commitment), countries, sources, commitment.target_unit
        )
        if commitment.target_amount is not None
        else []
    )
    positions = list(commitment.party_positions.all())
    instrument_parties = list(commitment.instrument_parties.all())
    suggestion = selectors.instrument_suggestion(commitment)
    return render(
        request,
        "public/commitment_detail.html",
        {
            "commitment": commitment,
            # What the page shows in English for want of a text in its language, and says so.
            "untranslated": translation.untranslated(commitment, translation.COMMITMENT_FIELDS),
            "meeting_untranslated": bool(
                commitment.meeting and translation.untranslated(commitment.meeting, ["name"])
            ),
            "source_language": translation.SOURCE_LANGUAGE,
            # Quotes stay in their source's language; those in another than the page's say so.
            "page_language": translation.content_language(),
            "partners": partners,
            "timeline": selectors.commitment_timeline(commitment),
            "table": table,
            "chart": charts.progress_chart(commitment, table, progress),
            "progress": progress,
            "postponement": postponement_text(commitment),
            "date_changes": list(commitment.target_date_changes.all()),
            "positions": positions,
            "instrument_parties": instrument_parties,
            "suggested_status": Status(suggestion).label if suggestion else "",
            "target_text": (
                format_amount(commitment.target_amount, commitment.target_unit)
                if commitment.target_amount is not None
                else ""
            ),
            "target_exact": (
                format_exact(commitment.target_amount, commitment.target_unit)
                if commitment.target_amount is not None
                else ""
            ),
        },
    )


def postponement_text(commitment: Commitment) -> str:
    """ "postponed twice, originally 2025": how often the target date slipped, and from when."""
    count = commitment.postponements
    if not count or commitment.original_target_date is None:
        return ""
    original = commitment.original_target_date.year
    if count == 1:
        return _("postponed once, originally %(year)s") % {"year": original}
    if count == 2:
        return _("postponed twice, originally %(year)s") % {"year": original}
    return ngettext(
        "postponed %(count)s time, originally %(year)s",
        "postponed %(count)s times, originally %(year)s",
        count,
    ) % {"count": count, "year": original}


@public_page
def dashboard(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    today = timezone.localdate(now)
    totals = selectors.dashboard_totals(now=now)
    countries = selectors.dashboard_country_counts(now=now)
    statuses = list(Status.choices)
    rows = [
        {
            "country": c.country,
            "counts": [c.by_status[value] for value, _ in statuses],
            "total": c.total,
            "open": c.open,
            "stale": c.stale,
            "stale_share": c.stale_share,
        }
        for c in countries
    ]
    targets_due = list(selectors.targets_due(today=today))
    diverging = list(selectors.diverging_commitments())
    latest_changes = list(selectors.latest_status_changes(limit=10))
    return render(
        request,
        "public/dashboard.html",
        {
            "totals": totals,
            "stale_share": totals["stale"] / totals["open"] if totals["open"] else None,
            "statuses": statuses,
            "final_statuses": rules.FINAL_STATUSES,
            "rows": rows,
            "targets_due": targets_due,
            "diverging": diverging,
            "latest_changes": latest_changes,
            "english_titles": english_titles(
                [*targets_due, *diverging, *(change.commitment for change in latest_changes)]
            ),
            "today": today,
            "categories": Category.choices,
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links; send them to the
    static file (a temporary redirect: its hashed name changes with its content)."""
    return HttpResponseRedirect(static("public/favicon.ico"))
