from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection

from commitments.models import Commitment
from perf.generate import SLUG_PREFIX
from perf.runner import Options, render_table, run


def _sizes(value: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in value.split(",") if part)


def _pairs(value: str) -> tuple[tuple[int, int], ...]:
    pairs = []
    for part in value.split(","):
        if part:
            stale, _, recipients = part.partition("/")
            pairs.append((int(stale), int(recipients)))
    return tuple(pairs)


def _ensure_database() -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(
            dbname="postgres",
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            autocommit=True,
        ) as admin:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')


class Command(BaseCommand):
    help = (
        "Benchmark the API against a plain-DRF and a bare .values() list at growing N, on "
        "gunicorn + wrk, and the reminder job. DESTRUCTIVE: it flushes the database's "
        "commitments. Needs PostgreSQL (DATABASE_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="N=1,000 only, short runs.")
        parser.add_argument("--sizes", type=_sizes, default=None, help="e.g. 1000,10000,100000")
        parser.add_argument("--duration", type=int, default=None, help="seconds per endpoint")
        parser.add_argument(
            "--rounds", type=int, default=None, help="turns the three lists take, interleaved"
        )
        parser.add_argument("--warmup", type=int, default=None, help="seconds of warm-up")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=2, help="threads per worker")
        parser.add_argument(
            "--reminders", type=_pairs, default=None, help="stale/recipients pairs, e.g. 10000/1000"
        )
        parser.add_argument("--output", type=Path, default=None)
        parser.add_argument(
            "--flush-anyway",
            action="store_true",
            help="Run even though the database holds commitments the generator did not make.",
        )
        parser.add_argument(
            "--fail-on-targets", action="store_true", help="Exit non-zero when a target is missed."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        quick = options["quick"]
        opts = Options(
            sizes=options["sizes"] or ((1_000,) if quick else (1_000, 10_000, 100_000)),
            duration=options["duration"] or (6 if quick else 12),
            rounds=options["rounds"] or (3 if quick else 4),
            warmup=options["warmup"] if options["warmup"] is not None else (1 if quick else 2),
            connections=options["connections"],
            workers=options["workers"],
            threads=options["threads"],
            reminder_sizes=(
                options["reminders"]
                if options["reminders"] is not None
                else ((1_000, 100),)
                if quick
                else ((10_000, 1_000), (100_000, 10_000))
            ),
            output=options["output"]
            or Path(settings.VAR_DIR) / ("benchmark-quick.json" if quick else "benchmark.json"),
            log=lambda line: self.stderr.write(line),
        )
        _ensure_database()
        call_command("migrate", verbosity=0, interactive=False)
        if (
            not options["flush_anyway"]
            and Commitment.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
        ):
            raise CommandError(
                f"{settings.DATABASES['default']['NAME']} holds commitments the generator did not "
                "make, and the benchmark deletes them all. Point DATABASE_URL at a benchmark "
                "database, or pass --flush-anyway."
            )
        report = run(opts)
        self.stdout.write(render_table(report))
        self.stdout.write(f"\nJSON written to {opts.output} ({report.seconds:.0f}s in all)")
        if report.budget_failures:
            raise CommandError("Query budget exceeded: " + "; ".join(report.budget_failures))
        missed = [name for name, t in report.targets.items() if not t["met"]]
        if options["fail_on_targets"] and missed:
            raise CommandError("Targets missed: " + "; ".join(missed))
