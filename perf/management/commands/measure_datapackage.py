"""Measure the open data package: its build over the whole record, and a download once built."""

from perf.measurement.command import MeasurementCommand
from perf.measurement.datapackage import measure_datapackage


class Command(MeasurementCommand):
    help = (
        "Build the open data package from the record in the database (as the rebuild task "
        "does), into a scratch folder, and report its wall time, queries and size; then time "
        "downloads of the built file and 304 answers to conditional GETs. Generate the record "
        "first, e.g. `manage.py generate_data --commitments 100000 --flush`."
    )

    def measure(self, **options):
        return measure_datapackage()

    def describe(self, m):
        return (
            f"{m.commitments} commitments, {m.evidence} evidence, {m.status_changes} status "
            f"changes\n"
            f"build: {m.build_seconds:.2f} s, {m.build_queries} queries, "
            f"{m.package_bytes / 1024 / 1024:.1f} MiB zip\n"
            f"download of the built file: median {m.serve_median_ms:.2f} ms, "
            f"{m.serve_queries} queries\n"
            f"conditional GET (304): median {m.not_modified_median_ms:.2f} ms"
        )
