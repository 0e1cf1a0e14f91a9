"""Bulk actions on commitments. Each row goes through the same service and rules as one edit."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from .. import access, clock, services
from ..messages import NOT_INVOLVED_REASON
from ..models import Commitment
from ..opendata import exporting, schema
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
        "selected_pks": [commitment.pk for commitment in selected],
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
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection). Only the admin's
    downloads, which staff open in spreadsheets, are escaped; the open data package keeps every
    value as the record has it, for programs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# The open data's commitments table (`opendata.schema`): the same columns, values and order.
EXPORT = schema.COMMITMENTS
CSV_HEADER = tuple(EXPORT.header)


def csv_rows(queryset) -> Iterator[list[str]]:
    yield list(CSV_HEADER)
    for row in exporting.rows(EXPORT, queryset):
        yield [csv_safe(value) for value in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(extension: str) -> str:
    stamp = f"{timezone.localtime(clock.now()):%Y%m%d-%H%M}"
    return f'attachment; filename="commitments-{stamp}.{extension}"'


@admin.action(description=_("Export selected commitments as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(queryset)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = _filename("csv")
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_cell(sheet, column: schema.Column, text: str):
    """A typed cell: dates as dates, numbers as numbers, yes/no as booleans, text as text that
    never runs as a formula; date-times (UTC) stay ISO 8601 text, as spreadsheets know no zones."""
    from openpyxl.cell import WriteOnlyCell

    value = column.from_text(text) if text and column.type in _TYPED else text
    cell = WriteOnlyCell(sheet, value=value if value is not None else "")
    if column.type == "date" and value:
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
    return cell


_TYPED = {"date", "number", "integer", "boolean"}


@admin.action(
    description=_("Export selected commitments as a spreadsheet (XLSX)"), permissions=["view"]
)
def export_xlsx(modeladmin, request, queryset):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=EXPORT.name)
    sheet.freeze_panes = "B2"
    sheet.append(CSV_HEADER)
    columns = EXPORT.columns
    for row in exporting.rows(EXPORT, queryset):
        sheet.append([_xlsx_cell(sheet, c, text) for c, text in zip(columns, row, strict=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = _filename("xlsx")
    return response
