"""The Celery application: `celery -A tracker worker` and `celery -A tracker beat`."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks beat runs every few seconds that usually find nothing to do: the outbox's dispatch (every
# EVENTS_DISPATCH_INTERVAL, 5 s). An idle run is not logged (beat's "Sending due task", the
# worker's "received" and a "succeeded ...: 0"), so real work and errors are not buried under
# three lines every five seconds; a run that did something, a retry or a failure is logged.
QUIET_WHEN_IDLE = frozenset({"commitments.events.dispatch_events"})
IDLE_RESULTS = frozenset({"0", "None", "[]"})


class IdlePollFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, dict):  # the worker's "received" and "succeeded" lines
            if args.get("name") not in QUIET_WHEN_IDLE:
                return True
            if "return_value" in args:
                return str(args["return_value"]) not in IDLE_RESULTS
            return "received" not in str(record.msg)
        if str(record.msg).startswith("Scheduler: Sending due task") and args:
            return args[-1] not in QUIET_WHEN_IDLE  # (entry name, task name)
        return True


for _name in ("celery.beat", "celery.worker.strategy", "celery.app.trace"):
    logging.getLogger(_name).addFilter(IdlePollFilter())
