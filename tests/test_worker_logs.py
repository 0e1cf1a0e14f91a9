"""The worker's log on an idle machine: the outbox's dispatch, run by beat every 5 s, logs nothing
when it finds nothing to do, so real work and errors stand out (issue 25)."""

import logging

import pytest
from celery.app import trace
from celery.worker import strategy

import tracker.celery  # noqa: F401  (the app installs the filter)

DISPATCH = "commitments.events.dispatch_events"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def emit(logger: str, message: str, args) -> None:
    logging.getLogger(logger).info(message, args)


def test_an_idle_dispatch_run_logs_nothing(logged):
    logging.getLogger("celery.beat").info(
        "Scheduler: Sending due task %s (%s)", "dispatch-events", DISPATCH
    )
    emit(strategy.__name__, trace.LOG_RECEIVED, {"name": DISPATCH, "id": "a1"})
    emit(
        trace.__name__,
        trace.LOG_SUCCESS,
        {"name": DISPATCH, "id": "a1", "runtime": 0.01, "return_value": "0"},
    )

    assert logged.records == []


def test_a_dispatch_that_did_something_other_tasks_and_failures_are_logged(logged):
    emit(
        trace.__name__,
        trace.LOG_SUCCESS,
        {"name": DISPATCH, "id": "a2", "runtime": 0.2, "return_value": "3"},
    )
    other = "commitments.reminders.send_stale_reminders"
    logging.getLogger("celery.beat").info(
        "Scheduler: Sending due task %s (%s)", "stale-reminders", other
    )
    emit(strategy.__name__, trace.LOG_RECEIVED, {"name": other, "id": "b1"})
    logging.getLogger(trace.__name__).error(
        trace.LOG_FAILURE,
        {"name": DISPATCH, "id": "a3", "description": "raised", "exc": "OperationalError"},
    )

    assert [r.getMessage() for r in logged.records] == [
        f"Task {DISPATCH}[a2] succeeded in 0.2s: 3",
        f"Scheduler: Sending due task stale-reminders ({other})",
        f"Task {other}[b1] received",
        f"Task {DISPATCH}[a3] raised: OperationalError",
    ]
