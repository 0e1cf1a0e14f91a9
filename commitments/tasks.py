"""Celery finds tasks in `<app>.tasks`; the reminder tasks live in `reminders/tasks.py`."""

from .reminders.tasks import send_reminder_digest, send_stale_reminders

__all__ = ["send_reminder_digest", "send_stale_reminders"]
