"""`manage.py evaluate_ingestion LABELS.json TEXTS_DIR [--json]`: score the analysis on labelled
articles as the development set's README says, each on a fresh database with the seed record."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import setup_databases, teardown_databases

from commitments.ingestion.evaluation import evaluate, table


class Command(BaseCommand):
    help = "Score the ingestion analysis on labelled articles (recall, precision, per language)."

    def add_arguments(self, parser):
        parser.add_argument("labels")
        parser.add_argument("texts_dir")
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument(
            "--keep-database",
            action="store_true",
            help="Use the configured database (each article still rolled back) instead of a "
            "fresh throwaway one.",
        )

    def handle(self, *args, labels, texts_dir, as_json, keep_database, **options):
        try:
            document = json.loads(Path(labels).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {labels}: {error}") from error
        folder = Path(texts_dir)
        if not folder.is_dir():
            raise CommandError(f"No such folder: {texts_dir}")
        # A throwaway database (in memory on SQLite) so that only the seed record is there.
        created = None if keep_database else setup_databases(verbosity=0, interactive=False)
        try:
            report = evaluate(document, folder)
        finally:
            if created is not None:
                teardown_databases(created, verbosity=0)
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for line in table(report):
            self.stdout.write(line)
