"""Measure the analysis of one long article against the commitments in the database."""

from perf.measurement.command import MeasurementCommand
from perf.measurement.ingestion import measure_analysis


class Command(MeasurementCommand):
    help = (
        "Analyse a generated article of --words words (from the sample articles, in --language) "
        "against every commitment in the database and report the wall time and the number of "
        "queries. Nothing is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--words", type=int, default=5000)
        parser.add_argument("--language", choices=["en", "ru"], default="ru")
        super().add_arguments(parser)

    def measure(self, *, words, language, **options):
        return measure_analysis(words=words, language=language)

    def describe(self, m):
        return (
            f"{m.words}-word {m.language} article against {m.commitments} commitments: "
            f"{m.suggestions} suggestions in {m.wall_seconds:.2f} s, {m.queries} queries"
        )
