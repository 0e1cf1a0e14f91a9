"""Reminder digests: each responsible officer gets one email per period listing their stale
commitments and those due soon, however many workers run and whatever fails.

- `planning`: the period, and which digest each recipient is still owed in it.
- `delivery`: claim in the database, send, record how far the SMTP conversation got (the
  numbered protocol is in its docstring); `smtp`: the backend that reports those phases.
- `email`: the message; `preferences`: unsubscribe tokens and the preference services.
- `views`/`urls`: the unsubscribe page; `tasks`: the Celery tasks. (The performance lab measures
  the job at scale: `perf/measurement/reminders.py`.)
"""
