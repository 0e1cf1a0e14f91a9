"""Measure the analysis of one long article against the commitments in the database."""

import json

from django.core.management.base import BaseCommand

from commitments.ingestion.measurement import measure_analysis


class Command(BaseCommand):
    help = (
        "Analyse a generated article of --words words (from the sample articles, in --language) "
        "against every commitment in the database and report the wall time and the number of "
        "queries. Nothing is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--words", type=int, default=5000)
        parser.add_argument("--language", choices=["en", "ru"], default="ru")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, words, language, **options):
        m = measure_analysis(words=words, language=language)
        if options["json"]:
            self.stdout.write(json.dumps(m.as_dict()))
            return
        self.stdout.write(
            f"{m.words}-word {m.language} article against {m.commitments} commitments: "
            f"{m.suggestions} suggestions in {m.wall_seconds:.2f} s, {m.queries} queries"
        )
