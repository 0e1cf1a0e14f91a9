"""Measure the reminder job: wall time, queries and peak memory for N stale commitments."""

from perf.measurement.command import MeasurementCommand
from perf.measurement.reminders import measure_existing_data, measure_reminder_job


class Command(MeasurementCommand):
    help = (
        "Bulk-create stale commitments across recipients, run the reminder job once in this "
        "process with the locmem email backend, and report wall time, query count and peak "
        "memory (tracemalloc). The data is rolled back unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=10_000)
        parser.add_argument("--recipients", type=int, default=1_000)
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--keep", action="store_true", help="Keep the created data.")
        parser.add_argument(
            "--existing",
            action="store_true",
            help="Create nothing: run the job over the stale commitments already in the database "
            "(rolled back). --commitments and --recipients are ignored.",
        )
        parser.add_argument(
            "--rss",
            action="store_true",
            help="Peak memory as resident-memory growth, so the wall time is taken without "
            "tracemalloc (which slows the job about fourfold).",
        )
        super().add_arguments(parser)

    def measure(self, *, commitments, recipients, batch_size, keep, existing, rss, **options):
        if existing:
            return measure_existing_data(batch_size=batch_size, trace_memory=not rss)
        return measure_reminder_job(
            commitments=commitments,
            recipients=recipients,
            batch_size=batch_size,
            keep=keep,
            trace_memory=not rss,
        )

    def describe(self, m):
        memory = "tracemalloc" if m.memory_measure == "tracemalloc" else "resident memory growth"
        return (
            f"{m.commitments} stale commitments across {m.recipients} recipients "
            f"(batch size {m.batch_size}): {m.digests} digests, {m.emails_sent} emails\n"
            f"wall time: {m.wall_seconds:.2f} s"
            f"{' (with tracemalloc on)' if m.memory_measure == 'tracemalloc' else ''}\n"
            f"queries: {m.queries} ({m.queries / max(m.digests, 1):.2f} per recipient)\n"
            f"peak memory: {m.peak_memory_bytes / 1024 / 1024:.1f} MiB ({memory})"
        )
