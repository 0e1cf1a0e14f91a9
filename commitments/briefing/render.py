"""The two renderers of one content: PDF (the HTML template through WeasyPrint) and DOCX
(python-docx), with the same sections in the same order under the same headings.

Both are byte-for-byte reproducible: the DOCX's core properties carry the record's "as of" moment
and its zip entries a fixed date; the PDF carries no creation date and a fixed identifier.
WeasyPrint is imported only here and only when a PDF is asked for: the rest of the app runs
without pango.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from .content import Briefing

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# A zip entry's date when the record has none to give (the DOS epoch zip can hold).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_STATUS_COLOR, _PROGRESS_COLOR = "#3b6ea5", "#5a9a5a"
_BAR_WIDTH = 80


def _chart(title: str, bars, color: str) -> dict:
    # Strings, not numbers: the template would print "80,0" in Russian, which SVG refuses.
    drawn = [
        {
            "label": bar.label,
            "count": bar.count,
            "width": f"{bar.share * _BAR_WIDTH:.1f}",
            "full": str(_BAR_WIDTH),
        }
        for bar in bars
    ]
    return {"title": title, "bars": drawn, "color": color}


def summary_figures(briefing: Briefing) -> list[tuple[str, int]]:
    """The summary's counts under their labels, in the order both formats print them."""
    s, labels = briefing.summary, briefing.labels
    return [
        (labels["overdue"], s.overdue),
        (labels["stale"], s.stale),
        (labels["slipped"], s.slipped),
        (labels["diverging"], s.diverging),
        (labels["changed"], s.changed),
    ]


def html(briefing: Briefing) -> str:
    labels = briefing.labels
    charts = [
        _chart(labels["by_status"], briefing.summary.by_status, _STATUS_COLOR),
        _chart(labels["by_progress"], briefing.summary.by_progress, _PROGRESS_COLOR),
    ]
    with translation.override(briefing.language):
        return render_to_string(
            "briefing/briefing.html",
            {
                "b": briefing,
                "figures": summary_figures(briefing),
                "charts": charts,
                "font_regular": FONT_REGULAR.as_uri(),
                "font_bold": FONT_BOLD.as_uri(),
            },
        )


def pdf(briefing: Briefing) -> bytes:
    from weasyprint import HTML  # lazily: only a PDF needs pango

    document = HTML(string=html(briefing), base_url=str(FONTS)).render()
    # No creation or modification date, and an identifier from the content: the same briefing
    # gives the same bytes.
    document.metadata.created = None
    document.metadata.modified = None
    return document.write_pdf(pdf_identifier=b"commitment-tracker-briefing")


# --- DOCX -----------------------------------------------------------------------------------------


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    return table


def _labelled(document, label: str, text: str, style: str | None = None):
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)
    return paragraph


def _moment(briefing: Briefing) -> datetime:
    if briefing.as_of is None:
        return datetime(*_ZIP_EPOCH, tzinfo=UTC)
    return briefing.as_of.astimezone(UTC).replace(microsecond=0)


def _docx_head(document, b: Briefing) -> None:
    """The title, the summary with its counts and the overview table: one row per commitment."""
    labels = b.labels
    document.add_heading(b.title, level=0)
    document.add_paragraph(b.scope_line)
    document.add_paragraph(b.dates_line)

    document.add_heading(labels["summary"], level=1)
    _table(
        document,
        [labels["summary"], ""],
        [[labels["total"], b.summary.total], *[[k, v] for k, v in summary_figures(b)]],
    )
    for title, bars in (
        (labels["by_status"], b.summary.by_status),
        (labels["by_progress"], b.summary.by_progress),
    ):
        document.add_heading(title, level=2)
        _table(document, [title, ""], [[bar.label, bar.count] for bar in bars])

    document.add_heading(labels["commitments"], level=1)
    if b.entries:
        _table(
            document,
            [
                labels["number"],
                labels["commitment"],
                labels["status"],
                labels["progress"],
                labels["target_date"],
                labels["responsible"],
            ],
            [
                [n, e.title, e.status, e.progress, e.target_date, e.responsible]
                for n, e in enumerate(b.entries, start=1)
            ],
        )
    else:
        document.add_paragraph(labels["empty"])


def _docx_parties(document, e, labels: dict[str, str]) -> None:
    """The parties' diverging accounts and the instrument's dates per party."""
    if e.positions:
        document.add_paragraph().add_run(f"{labels['positions']}:").bold = True
        _table(
            document,
            [labels["country"], labels["status"], labels["reported_on"]],
            [[p.country, p.status, p.reported_on] for p in e.positions],
        )
    if e.instrument:
        _labelled(document, labels["instrument"], e.instrument)
        if e.instrument_parties:
            _table(
                document,
                [labels["country"], labels["signed"], labels["ratified"], labels["in_force"]],
                [[p.country, p.signed, p.ratified, p.in_force] for p in e.instrument_parties],
            )


def _docx_entry(document, number: int, e, labels: dict[str, str]) -> None:
    """One commitment's section, in the order the HTML template prints it."""
    document.add_heading(f"{number}. {e.title}", level=2)
    status = e.status_line
    if e.overdue:
        status += f"; {labels['flag_overdue']}"
    if e.stale:
        status += f"; {labels['flag_stale']}"
    _labelled(
        document, labels["status"], f"{status}. {labels['last_reviewed']}: {e.last_reviewed}."
    )
    _labelled(document, labels["owner"], e.owner)
    _labelled(document, labels["partners"], e.partners)
    _labelled(document, labels["category"], e.category)
    if e.meeting:
        _labelled(document, labels["meeting"], e.meeting)
    _labelled(document, labels["responsible"], e.responsible)
    progress = e.progress + (f". {labels['target']}: {e.target}" if e.target else "")
    _labelled(document, labels["progress"], progress)
    if e.rates:
        document.add_paragraph(f"{labels['rates']}:")
        _table(
            document,
            [
                labels["reporter"],
                labels["progress"],
                labels["latest"],
                labels["observed"],
                labels["needed"],
            ],
            [[r.reporter, r.verdict, r.latest, r.observed, r.needed] for r in e.rates],
        )
    if e.has_deadline:
        _labelled(
            document,
            labels["deadline"],
            f"{labels['original_target_date']}: {e.original_target_date}; "
            f"{labels['current_target_date']}: {e.target_date}; "
            f"{labels['postponements']}: {e.postponements}.",
        )
    for line in e.postponement_lines:
        document.add_paragraph(line, style="List Bullet")
    _docx_parties(document, e, labels)
    if e.changes:
        document.add_paragraph(f"{labels['changes']}:")
    else:
        document.add_paragraph(labels["no_changes"])
    for change in e.changes:
        item = document.add_paragraph(
            f"{change.on}, {change.kind}: {change.text}", style="List Bullet"
        )
        if change.quote:
            item.add_run("\n" + change.quote).italic = True


def docx(briefing: Briefing) -> bytes:
    import docx as python_docx
    from docx.shared import Pt

    b = briefing
    document = python_docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    _docx_head(document, b)
    for number, e in enumerate(b.entries, start=1):
        _docx_entry(document, number, e, b.labels)

    moment = _moment(b).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = b.title
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.revision = 1
    properties.language = b.language
    properties.created = moment
    properties.modified = moment
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated alike, in a fixed order: python-docx stamps entries
    with the time of saving."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render(briefing: Briefing, fmt: str) -> bytes:
    return pdf(briefing) if fmt == "pdf" else docx(briefing)


def filename(briefing: Briefing, fmt: str, stem: str) -> str:
    return f"briefing-{stem}-{briefing.language}.{fmt}"
