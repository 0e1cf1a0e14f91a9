"""Issue 26: either side of midnight a recipient never gets the old day's and the new day's digest
minutes apart: a send task does not outlive its period, and REMINDER_MIN_GAP holds the next one."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from commitments.reminders import delivery, planning, tasks
from commitments.reminders.models import Reminder
from tests.support.reminders import stale_commitment

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")  # the tests' REMINDER_TIMEZONE (conftest)
BEFORE_MIDNIGHT = dt.datetime(2026, 11, 22, 23, 59, 30, tzinfo=ALMATY)


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_recipient_reached_before_midnight_waits_out_the_gap(settings, officer):
    settings.REMINDER_MIN_GAP = 3600
    stale_commitment(responsible=[officer])
    with at(BEFORE_MIDNIGHT):
        delivery.run_once(BEFORE_MIDNIGHT)
    assert len(mail.outbox) == 1

    after = BEFORE_MIDNIGHT + dt.timedelta(minutes=2)  # the new day, two minutes later
    with at(after):
        report = delivery.run_once(after)
    assert [d.outcome for d in report.deliveries.values()] == [delivery.Outcome.TOO_SOON]
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1  # nothing claimed: a later run of the day sends it

    later = BEFORE_MIDNIGHT + dt.timedelta(hours=1, minutes=1)
    with at(later):
        delivery.run_once(later)
    assert len(mail.outbox) == 2
    assert sorted(Reminder.objects.values_list("period", flat=True)) == [
        "2026-11-22",
        "2026-11-23",
    ]


def test_a_send_task_planned_before_midnight_does_not_send_after_it(eager_celery, officer):
    commitment = stale_commitment(responsible=[officer])
    with at(BEFORE_MIDNIGHT):
        until = planning.period_end(BEFORE_MIDNIGHT)
    assert until == dt.datetime(2026, 11, 23, 0, 0, tzinfo=ALMATY)
    # The task was held up (a retry, a busy queue) and runs just after midnight.
    with at(until + dt.timedelta(seconds=40)):
        result = tasks.send_reminder_digest.apply(
            args=(officer.pk, "2026-11-22", [commitment.pk], BEFORE_MIDNIGHT.isoformat()),
            kwargs={"until": until.isoformat()},
        )
    assert result.get() == str(delivery.Outcome.EXPIRED)
    assert mail.outbox == []


def test_the_live_job_gives_its_sends_the_end_of_the_period(eager_celery, officer, monkeypatch):
    stale_commitment(responsible=[officer])
    seen = []
    monkeypatch.setattr(
        tasks.send_reminder_digest, "apply_async", lambda **kw: seen.append(kw["kwargs"])
    )
    with at(BEFORE_MIDNIGHT):
        tasks.send_stale_reminders.apply()
    assert [kw["until"] for kw in seen] == ["2026-11-23T00:00:00+05:00"]
