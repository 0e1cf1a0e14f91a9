"""Measure the reminder job at scale: wall time, query count and peak memory in one run.

`measure_reminder_job` is the callable core (used by `manage.py measure_reminders` and reusable by
benchmarks): it bulk-inserts N stale commitments spread over M recipients, runs the whole job in
this process (plan, claim, render, send through the locmem backend, record) and rolls everything
back unless asked to keep it.
"""

from __future__ import annotations

import secrets
import time
import tracemalloc
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from . import reminders
from .models import Category, Commitment, Country


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

    def as_dict(self) -> dict:
        return asdict(self)


class _Rollback(Exception):
    pass


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
    return tag


def measure_reminder_job(
    *,
    commitments: int = 10_000,
    recipients: int = 1_000,
    batch_size: int | None = None,
    keep: bool = False,
) -> JobMeasurement:
    """Create the data, then run the job once under a query counter and tracemalloc.

    Queries are counted with an execute wrapper: CaptureQueriesContext keeps at most 9,000 queries
    (Django's queries_log is a bounded deque) and would under-count a run this size.
    """
    now = timezone.now()
    result: JobMeasurement | None = None
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    try:
        with transaction.atomic():
            create_stale_dataset(commitments, recipients, now=now)
            settings_override = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
            if batch_size:
                settings_override["REMINDER_BATCH_SIZE"] = batch_size
            with override_settings(**settings_override):
                mail.outbox = []
                tracemalloc.start()
                started = time.perf_counter()
                with connection.execute_wrapper(count):
                    report = reminders.run_once(now)
                wall = time.perf_counter() - started
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                result = JobMeasurement(
                    commitments=commitments,
                    recipients=recipients,
                    batch_size=settings.REMINDER_BATCH_SIZE,
                    digests=len(report.digests),
                    emails_sent=len(mail.outbox),
                    wall_seconds=round(wall, 3),
                    queries=queries,
                    peak_memory_bytes=peak,
                )
                mail.outbox = []
            if not keep:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        if tracemalloc.is_tracing():
            tracemalloc.stop()
    if result is None:
        raise RuntimeError("The measurement did not complete.")
    return result
