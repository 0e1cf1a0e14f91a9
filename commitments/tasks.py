"""Celery finds tasks in `<app>.tasks`; the tasks live with their part of the product."""

from .ingestion.tasks import analyse_source
from .reminders.tasks import send_reminder_digest, send_stale_reminders

__all__ = ["analyse_source", "send_reminder_digest", "send_stale_reminders"]
