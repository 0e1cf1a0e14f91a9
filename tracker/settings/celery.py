"""Celery: the broker, the reminder job's schedule and the limits that keep a task from running
twice. Read by `tracker/celery.py` through Django's settings (namespace CELERY_)."""

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from tracker.env import boolean, env, positive_int

from .base import (
    REMINDER_CATCH_UP_SECONDS,
    REMINDER_CLAIM_LEASE,
    REMINDER_HOUR,
    REMINDER_MINUTE,
    REMINDER_RETRY_BACKOFF_MAX,
    REMINDER_SEND_TIME_LIMIT,
    REMINDER_TIMEZONE,
    VAR_DIR,
)
from .opendata import OPENDATA_BUILD_TIME_LIMIT, OPENDATA_REBUILD_INTERVAL

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
if CELERY_BROKER_URL == "filesystem://":
    # The embedded default: a real worker and beat exchange messages through folders, no server.
    # kombu writes its exchange tables to `control_folder`, which defaults to ./control in the
    # working directory: keep it with the queues.
    _celery_dir = VAR_DIR / "celery"
    for _folder in ("queue", "processed", "control"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacked task after this long; retries and time limits stay under it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": positive_int("CELERY_VISIBILITY_TIMEOUT", 3600)
    }
# A retry waiting out its countdown, or a task running into its time limit, must never outlive
# Redis's visibility_timeout, or the broker hands the same task to a second worker.
_visibility = CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
if _visibility and max(
    REMINDER_RETRY_BACKOFF_MAX, REMINDER_CLAIM_LEASE, REMINDER_SEND_TIME_LIMIT
) * 2 > int(_visibility):
    raise ImproperlyConfigured(
        "REMINDER_RETRY_BACKOFF_MAX, REMINDER_CLAIM_LEASE and REMINDER_SEND_TIME_LIMIT must each "
        f"stay under half the broker's visibility_timeout ({_visibility}s)."
    )
if REMINDER_SEND_TIME_LIMIT >= REMINDER_CLAIM_LEASE:
    raise ImproperlyConfigured(
        "REMINDER_SEND_TIME_LIMIT must be shorter than REMINDER_CLAIM_LEASE."
    )
CELERY_TASK_ALWAYS_EAGER = boolean("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = REMINDER_TIMEZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "rebuild-open-data": {
        "task": "commitments.opendata.rebuild",
        "schedule": OPENDATA_REBUILD_INTERVAL,
        "kwargs": {"force": True},
        "options": {"expires": OPENDATA_BUILD_TIME_LIMIT},
    },
    "send-stale-reminders": {
        "task": "commitments.reminders.send_stale_reminders",
        # Hourly catch-up: each run sends only what the period still owes.
        "schedule": (
            REMINDER_CATCH_UP_SECONDS or crontab(hour=f"{REMINDER_HOUR}-23", minute=REMINDER_MINUTE)
        ),
    },
}
