"""Bulk actions on commitments. Each row goes through the same service and rules as one edit."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from .. import access, clock, fields, selectors, services
from ..messages import NOT_INVOLVED_REASON
from ..models import Commitment
from ..rules import Status
from .forms import BulkStatusChangeForm, transition_errors

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The status change's report; the number to choose the plural by is the "count" key.
MOVED = ngettext_lazy(
    "Moved %(count)d to %(status)s: %(listing)s.",
    "Moved %(count)d to %(status)s: %(listing)s.",
    "count",
)
REFUSED = ngettext_lazy(
    "Refused %(count)d (not moved to %(status)s): %(listing)s",
    "Refused %(count)d (not moved to %(status)s): %(listing)s",
    "count",
)
# How the export prints a relation: countries by their codes, a meeting by its name.
_RELATION_CELLS: dict[str, Callable[[Commitment], object]] = {
    "owner_country": lambda c: c.owner_country.code,
    "partner_countries": lambda c: " ".join(p.code for p in c.partner_countries.all()),
    "meeting": lambda c: c.meeting.name if c.meeting else "",
}


def _cell(name: str) -> Callable[[Commitment], object]:
    """How the export prints one of `fields.CSV`: a relation as above, a date-time in ISO 8601,
    anything else as its value."""
    field = Commitment._meta.get_field(name)
    if field.is_relation:
        if name not in _RELATION_CELLS:
            raise ImproperlyConfigured(f"The CSV export does not know how to print {name!r}.")
        return _RELATION_CELLS[name]
    if isinstance(field, models.DateTimeField):
        get = attrgetter(field.attname)
        return lambda c: None if get(c) is None else get(c).isoformat()
    return attrgetter(field.attname)


_FIELD_CELLS = tuple(_cell(name) for name in fields.CSV)
CSV_HEADER = (
    *fields.CSV,
    "stale",
    "evidence_count",
    "evidence_urls",
    "source_titles",
    "source_urls",
)


def _split_by_scope(user, queryset) -> tuple[list[Commitment], list[Commitment]]:
    """(editable, refused) rows of the selection, by `access.editable_commitments`."""
    editable_ids = set(access.editable_commitments(user, queryset).values_list("pk", flat=True))
    editable, refused = [], []
    for commitment in queryset.order_by("title", "pk"):
        (editable if commitment.pk in editable_ids else refused).append(commitment)
    return editable, refused


def _titles(rows: Iterable[Commitment]) -> str:
    return "; ".join(f"“{c.title}”" for c in rows)


@admin.action(description=_("Mark selected commitments reviewed"), permissions=["change"])
def mark_reviewed(modeladmin, request, queryset):
    editable, refused = _split_by_scope(request.user, queryset)
    for commitment in editable:
        services.commitment_mark_reviewed(commitment=commitment, actor=request.user)
    if editable:
        modeladmin.message_user(
            request,
            ngettext(
                "Marked %(count)d reviewed: %(titles)s.",
                "Marked %(count)d reviewed: %(titles)s.",
                len(editable),
            )
            % {"count": len(editable), "titles": _titles(editable)},
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "Refused %(count)d (%(reason)s): %(titles)s.",
                "Refused %(count)d (%(reason)s): %(titles)s.",
                len(refused),
            )
            % {
                "count": len(refused),
                "reason": NOT_INVOLVED_REASON,
                "titles": _titles(refused),
            },
            messages.WARNING,
        )


@admin.action(description=_("Change status of selected commitments…"), permissions=["change"])
def change_status(modeladmin, request, queryset):
    form = BulkStatusChangeForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        _apply_status_change(modeladmin, request, queryset, **form.cleaned_data)
        return None  # back to the changelist, which shows the report
    selected = list(queryset.order_by("title", "pk"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Change status"),
        "opts": modeladmin.model._meta,
        "form": form,
        "selected": selected,
        "action_name": "change_status",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
        "media": modeladmin.media,
    }
    return TemplateResponse(request, modeladmin.change_status_template, context)


def _apply_status_change(modeladmin, request, queryset, *, new_status: str, note: str) -> None:
    editable, out_of_scope = _split_by_scope(request.user, queryset)
    moved: list[tuple[Commitment, str]] = []
    refused = [(c, NOT_INVOLVED_REASON) for c in out_of_scope]
    for commitment in editable:
        old = commitment.get_status_display()
        try:
            services.commitment_change_status(
                commitment=commitment, new_status=new_status, actor=request.user, note=note
            )
        except ValidationError as exc:
            refused.append((commitment, " ".join(transition_errors(exc))))
        except PermissionDenied as exc:
            refused.append((commitment, str(exc)))
        else:
            moved.append((commitment, old))
    label = Status(new_status).label
    moved_entries = [
        gettext("“%(title)s” (from %(old)s)") % {"title": c.title, "old": old} for c, old in moved
    ]
    refused_entries = [f"“{c.title}”: {reason}" for c, reason in refused]
    reports = ((MOVED, moved_entries, messages.SUCCESS), (REFUSED, refused_entries, messages.ERROR))
    for template, entries, level in reports:
        if entries:
            listing = "; ".join(entries)
            message = template % {"count": len(entries), "status": label, "listing": listing}
            modeladmin.message_user(request, message, level)


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def csv_rows(queryset, now) -> Iterator[list[str]]:
    yield list(CSV_HEADER)
    for c in selectors.commitment_export(queryset).iterator(chunk_size=500):
        evidence = list(c.evidence.all())
        sources = [e.source for e in evidence if e.source is not None]
        stale = c.stale if hasattr(c, "stale") else c.is_stale(now)
        row = [
            *(cell(c) for cell in _FIELD_CELLS),
            "yes" if stale else "no",
            len(evidence),
            " | ".join(_unique(e.url for e in evidence)),
            " | ".join(_unique(s.title for s in sources)),
            " | ".join(_unique(s.url for s in sources)),
        ]
        yield [csv_safe(value) for value in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


@admin.action(description=_("Export selected commitments as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    now = clock.now()
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(queryset, now)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="commitments-{timezone.localtime(now):%Y%m%d-%H%M}.csv"'
    )
    return response
