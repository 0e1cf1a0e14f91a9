"""Measure the reminder job at scale: wall time, query count and peak memory in one run.

`measure_reminder_job` is the callable core (used by `manage.py measure_reminders` and reusable by
benchmarks): it bulk-inserts N stale commitments spread over M recipients, runs the whole job in
this process (plan, claim, render, send through the locmem backend, record) and rolls everything
back unless asked to keep it.
"""

from __future__ import annotations

import contextlib
import secrets
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test.utils import override_settings

from commitments import clock
from commitments.models import Category, Commitment, Country
from commitments.reminders.delivery import RunReport, run_once
from commitments.reminders.models import Reminder

from ..statistics import analyze, vacuum


@dataclass
class JobMeasurement:
    commitments: int
    recipients: int
    batch_size: int
    digests: int
    emails_sent: int
    wall_seconds: float
    queries: int
    peak_memory_bytes: int
    memory_measure: str = "tracemalloc"

    def as_dict(self) -> dict:
        return asdict(self)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def _rolled_back(*, keep: bool = False) -> Iterator[None]:
    """Run the block in one transaction and roll it back at the end, unless `keep`; then vacuum
    what the rollback left behind, so that the next measurement starts from the same tables."""
    try:
        with transaction.atomic():
            yield
            if not keep:
                raise _Rollback
    except _Rollback:
        pass
    if not keep:
        vacuum(
            Commitment,
            Commitment.responsible_users.through,
            get_user_model(),
            Reminder,
            Reminder.commitments.through,
        )


def create_stale_dataset(commitments: int, recipients: int, *, now: datetime) -> str:
    """Bulk-insert `commitments` stale commitments, round-robin over `recipients` new users."""
    tag = secrets.token_hex(4)
    owner, _ = Country.objects.get_or_create(code="KZ", defaults={"name": "Kazakhstan"})
    user_model = get_user_model()
    user_model.objects.bulk_create(
        user_model(username=f"measure-{tag}-{i}", email=f"measure-{tag}-{i}@example.org")
        for i in range(recipients)
    )
    user_ids = list(
        user_model.objects.filter(username__startswith=f"measure-{tag}-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reviewed = now - timedelta(days=365)
    Commitment.objects.bulk_create(
        (
            Commitment(
                slug=f"measure-{tag}-{i}",
                title=f"Measured commitment {i}",
                owner_country=owner,
                category=Category.TRADE,
                last_reviewed_at=reviewed,
            )
            for i in range(commitments)
        ),
        batch_size=1000,
    )
    commitment_ids = Commitment.objects.filter(slug__startswith=f"measure-{tag}-").values_list(
        "pk", flat=True
    )
    through = Commitment.responsible_users.through
    through.objects.bulk_create(
        (
            through(commitment_id=pk, user_id=user_ids[i % recipients])
            for i, pk in enumerate(commitment_ids.order_by("pk"))
        ),
        batch_size=1000,
    )
    # Its rows live in this one transaction, which autovacuum never sees: without statistics the
    # planning queries were planned for the tables as they were, several times slower at 100,000.
    analyze(Commitment, through, user_model)
    return tag


class _PeakRss:
    """The process's resident-memory high-water mark over a block, without slowing it down.

    tracemalloc counts every Python allocation exactly but makes the job about four times slower,
    so a wall time taken with it on is not the job's. On Linux the kernel keeps the high-water
    mark (VmHWM) and lets a process reset it; elsewhere ru_maxrss is the best available.
    """

    def __enter__(self):
        self.reset = False
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
            self.reset = True
        except OSError:
            pass
        self.start = self._status("VmRSS")
        return self

    def __exit__(self, *exc):
        if self.reset:
            high = self._status("VmHWM")
        else:
            import resource

            high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.peak = max(high - self.start, 0)
        return False

    @staticmethod
    def _status(field: str) -> int:
        try:
            with open("/proc/self/status") as handle:
                for line in handle:
                    if line.startswith(field + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0


def _run_measured(now: datetime, *, trace_memory: bool) -> tuple[RunReport, float, int, int]:
    """Run the whole job once in this process: (report, wall seconds, queries, peak bytes).

    Queries are counted with an execute wrapper: CaptureQueriesContext keeps at most 9,000 queries
    (Django's queries_log is a bounded deque) and would under-count a run this size.
    """
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    mail.outbox = []
    if trace_memory:
        tracemalloc.start()
        try:
            started = time.perf_counter()
            with connection.execute_wrapper(count):
                report = run_once(now)
            wall = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    else:
        with _PeakRss() as rss:
            started = time.perf_counter()
            with connection.execute_wrapper(count):
                report = run_once(now)
            wall = time.perf_counter() - started
        peak = rss.peak
    return report, wall, queries, peak


def measure_reminder_job(
    *,
    commitments: int = 10_000,
    recipients: int = 1_000,
    batch_size: int | None = None,
    keep: bool = False,
    trace_memory: bool = True,
) -> JobMeasurement:
    """Create the data, then run the job once under a query counter and a memory measure.

    With `trace_memory` (the default) peak memory is tracemalloc's count of Python allocations and
    the wall time is taken with tracemalloc on; without it, the wall time is the job's own and
    peak memory is the growth of the process's resident memory.
    """
    now = clock.now()
    with _rolled_back(keep=keep):
        create_stale_dataset(commitments, recipients, now=now)
        result = _measure_in_place(now, commitments, recipients, batch_size, trace_memory)
    return result


def measure_existing_data(
    *, batch_size: int | None = None, trace_memory: bool = False
) -> JobMeasurement:
    """Run the job once over the stale commitments already in the database, then roll it back.

    For benchmarks that load their own data (e.g. `generate_data`); run it in a fresh process so
    that the resident-memory growth is the job's alone.
    """
    now = clock.now()
    with _rolled_back():
        stale = Commitment.objects.stale(now)
        responsible = Commitment.responsible_users.through.objects.filter(commitment__in=stale)
        result = _measure_in_place(
            now,
            stale.count(),
            responsible.values("user_id").distinct().count(),
            batch_size,
            trace_memory,
        )
    return result


def _measure_in_place(
    now: datetime, commitments: int, recipients: int, batch_size: int | None, trace_memory: bool
) -> JobMeasurement:
    settings_override = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if batch_size:
        settings_override["REMINDER_BATCH_SIZE"] = batch_size
    with override_settings(**settings_override):
        report, wall, queries, peak = _run_measured(now, trace_memory=trace_memory)
        result = JobMeasurement(
            commitments=commitments,
            recipients=recipients,
            batch_size=settings.REMINDER_BATCH_SIZE,
            digests=len(report.digests),
            emails_sent=len(mail.outbox),
            wall_seconds=round(wall, 3),
            queries=queries,
            peak_memory_bytes=peak,
            memory_measure="tracemalloc" if trace_memory else "rss",
        )
        mail.outbox = []
    return result
