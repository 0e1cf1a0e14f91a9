"""How long a large briefing takes: gather, render, write, for N commitments of the record."""

import io
import json as json_module
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.briefing import content, render
from commitments.models import Commitment


class Command(BaseCommand):
    help = (
        "Build a briefing on the first N commitments (a hand-picked set, as from the admin) and "
        "print the seconds it took to gather and to render, its queries, pages and bytes. Fill "
        "the database first (`generate_data`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=500)
        parser.add_argument("--language", default="ru", choices=content.LANGUAGES)
        parser.add_argument("--format", dest="fmt", default="pdf", choices=content.FORMATS)
        parser.add_argument("--output", help="Also write the document here.")
        parser.add_argument("--json", action="store_true", help="One JSON line (the benchmark's).")

    def handle(self, *args, items, language, fmt, output, json, **options):
        ids = tuple(Commitment.objects.order_by("id").values_list("id", flat=True)[:items])
        if len(ids) < items:
            raise CommandError(f"Only {len(ids)} commitments: run generate_data first.")
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            briefing = content.build(content.Scope(ids=ids), language=language)
        gathered = time.perf_counter()
        data = render.render(briefing, fmt)
        rendered, cpu = time.perf_counter(), time.process_time() - cpu_started
        if output:
            with open(output, "wb") as file:
                file.write(data)
        pages = None
        if fmt == "pdf":
            from pypdf import PdfReader

            pages = len(PdfReader(io.BytesIO(data)).pages)
        if json:
            figures = {
                "items": len(briefing.entries),
                "language": language,
                "format": fmt,
                "seconds": round(rendered - started, 2),
                "cpu_seconds": round(cpu, 2),
                "gather_seconds": round(gathered - started, 2),
                "queries": len(queries),
                "pages": pages,
                "bytes": len(data),
            }
            self.stdout.write(json_module.dumps(figures))
            return
        self.stdout.write(
            f"{len(briefing.entries)} commitments, {language}, {fmt}: "
            f"{rendered - started:.1f} s in all ({cpu:.1f} s of CPU; "
            f"gather {gathered - started:.1f} s in {len(queries)} queries, "
            f"render {rendered - gathered:.1f} s), "
            f"{len(data) / 1e6:.1f} MB" + (f", {pages} pages" if pages else "")
        )
