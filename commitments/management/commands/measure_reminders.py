"""Measure the reminder job: wall time, queries and peak memory for N stale commitments."""

from django.core.management.base import BaseCommand

from commitments.measurements import measure_reminder_job


class Command(BaseCommand):
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

    def handle(self, *args, commitments, recipients, batch_size, keep, **options):
        m = measure_reminder_job(
            commitments=commitments, recipients=recipients, batch_size=batch_size, keep=keep
        )
        self.stdout.write(
            f"{m.commitments} stale commitments across {m.recipients} recipients "
            f"(batch size {m.batch_size}): {m.digests} digests, {m.emails_sent} emails\n"
            f"wall time: {m.wall_seconds:.2f} s (with tracemalloc on)\n"
            f"queries: {m.queries} ({m.queries / max(m.digests, 1):.2f} per recipient)\n"
            f"peak memory: {m.peak_memory_bytes / 1024 / 1024:.1f} MiB (tracemalloc)"
        )
