"""Issue 13 (catch-up, phases, due dates) and 11.14 / 12.3 (demo path, calendar days, one clock)."""

import datetime as dt
import smtplib
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from commitments import clock
from commitments.reminders import delivery, planning, tasks
from commitments.reminders.models import Reminder
from tests.support.factories import CommitmentFactory
from tests.support.reminders import NOW, PERIOD, deliver, stale_commitment

pytestmark = pytest.mark.django_db
Status = Reminder.DeliveryStatus


def stale_work_claimed_3_hours_ago(officer, phase):
    """A stale commitment for `officer`, whose digest a worker claimed three hours before NOW and
    left in `phase`."""
    stale_commitment(responsible=[officer])
    Reminder.objects.create(
        recipient=officer, period=PERIOD, phase=phase, claimed_at=NOW - dt.timedelta(hours=3)
    )


def test_a_later_run_of_the_period_retries_a_digest_whose_retries_ran_out(flaky, officer):
    stale_commitment(responsible=[officer])
    flaky.failures_left = 1
    first = delivery.run_once(NOW)
    assert first.failures and mail.outbox == []
    # An hour later, same period: the catch-up run sends what the period still owes.
    second = delivery.run_once(NOW + dt.timedelta(hours=1))
    assert [d.recipient_id for d in second.digests] == [officer.pk]
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert (reminder.delivery_status, reminder.attempts, reminder.catch_ups) == (Status.SENT, 2, 1)
    assert delivery.run_once(NOW + dt.timedelta(hours=2)).digests == []


def test_a_passing_failure_is_retried_by_every_run_of_the_period(settings, flaky, officer):
    """The retry budget is the period's time: a mail server down all day loses no digest, however
    many hourly runs it takes (issue 26: 16 runs were the budget, a day's outage lost the week)."""
    settings.REMINDER_CATCH_UP_RETRIES = 2
    stale_commitment(responsible=[officer])
    flaky.failures_left = 30
    runs = [NOW + dt.timedelta(minutes=20 * i) for i in range(30)]  # 10 hours, one period
    assert [len(delivery.run_once(moment).digests) for moment in runs] == [1] * 30
    assert len(mail.outbox) == 0
    flaky.failures_left = 0
    delivery.run_once(NOW + dt.timedelta(hours=10, minutes=30))
    assert len(mail.outbox) == 1  # not lost after 30 failed runs
    assert Reminder.objects.get().delivery_status == Status.SENT


def test_a_permanent_refusal_is_retried_a_bounded_number_of_times(settings, flaky, officer):
    """A 550 is not retried ~100 times a period: the task gives it up at once, later runs try it
    REMINDER_CATCH_UP_RETRIES times, and again only once the address changes."""
    settings.REMINDER_CATCH_UP_RETRIES = 2
    stale_commitment(responsible=[officer])
    flaky.error = smtplib.SMTPRecipientsRefused({officer.email: (550, b"5.1.1 no such mailbox")})
    flaky.failures_left = 100
    planned = [len(delivery.run_once(NOW + dt.timedelta(hours=h)).digests) for h in range(6)]
    assert planned == [1, 1, 1, 0, 0, 0]  # the first run, then two catch-ups
    assert flaky.failures_left == 97
    reminder = Reminder.objects.get()
    assert (reminder.delivery_status, reminder.refused_email) == (Status.FAILED, officer.email)
    out = StringIO()
    call_command("send_reminders", "--now", NOW.isoformat(), stdout=out)
    assert "1 refused for good by the mail server" in out.getvalue()

    officer.email = "aigerim.new@example.org"
    officer.save()
    flaky.failures_left = 0
    assert len(delivery.run_once(NOW + dt.timedelta(hours=7)).digests) == 1
    assert [m.to for m in mail.outbox] == [["aigerim.new@example.org"]]


def test_a_send_task_does_not_retry_a_permanent_refusal(eager_celery, flaky, officer):
    commitment = stale_commitment(responsible=[officer])
    flaky.error = smtplib.SMTPRecipientsRefused({officer.email: (550, b"no such mailbox")})
    flaky.failures_left = 100
    result = tasks.send_reminder_digest.apply(
        args=(officer.pk, PERIOD, [commitment.pk], NOW.isoformat())
    )
    assert result.get() == str(delivery.Outcome.FAILED)
    assert flaky.failures_left == 99  # one try, no task retries


def test_in_doubt_digest_is_never_planned_again(officer):
    stale_work_claimed_3_hours_ago(officer, Reminder.Phase.END_OF_DATA)
    assert planning.plan_digests(NOW).digests == []


def test_claim_whose_worker_died_before_the_end_of_data_is_planned_again(officer):
    stale_work_claimed_3_hours_ago(officer, Reminder.Phase.GREETING)
    with time_machine.travel(NOW, tick=False):
        delivery.run_once(NOW)
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().delivery_status == Status.SENT


def test_command_says_how_many_were_already_reminded_this_period(two_officers_with_stale_work):
    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())
    out = StringIO()
    call_command("send_reminders", "--now", NOW.isoformat(), stdout=out)
    assert "0 recipient(s) owed a digest (sending); 2 already reminded this period." in (
        out.getvalue()
    )


def test_demo_coordinator_gets_the_seed_digest_without_a_usable_password(kz):
    stale_commitment(owner_country=kz, title="Orphan commitment")
    call_command("reminder_demo_coordinator", stdout=StringIO())
    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())
    (message,) = mail.outbox
    assert message.to == ["demo-coordinator@example.org"]
    assert "Orphan commitment" in message.body
    user = Reminder.objects.get().recipient
    assert not user.has_usable_password() and not user.is_staff


def test_days_since_review_count_calendar_days_in_the_reminder_time_zone(officer):
    # Reviewed 23:30 on 12 October in Almaty; the digest goes out 09:00 on 22 November: the
    # calendar says 41 days, a timedelta 40 days and 9.5 hours.
    reviewed = dt.datetime(2026, 10, 12, 18, 30, tzinfo=dt.UTC)
    commitment = stale_commitment(responsible=[officer], reviewed=reviewed)
    deliver(officer.pk, PERIOD, [commitment.pk])
    assert "41 days ago" in mail.outbox[0].body


def test_due_commitments_have_their_own_section_and_alone_make_a_digest(officer, kz):
    overdue = CommitmentFactory(
        title="Open the border post", target_date=dt.date(2026, 11, 1), last_reviewed_at=NOW
    )
    soon = CommitmentFactory(
        title="Sign the water deal", target_date=dt.date(2026, 12, 10), last_reviewed_at=NOW
    )
    CommitmentFactory(title="Far away", target_date=dt.date(2027, 6, 1), last_reviewed_at=NOW)
    CommitmentFactory(title="Done already", target_date=dt.date(2026, 11, 1), status="completed")
    for c in (overdue, soon):
        c.responsible_users.add(officer)
    report = delivery.run_once(NOW)
    (digest,) = report.digests
    assert (digest.commitment_ids, sorted(digest.due_ids)) == ((), sorted([overdue.pk, soon.pk]))
    (message,) = mail.outbox
    assert message.subject == "2 commitments due soon or overdue"
    assert "21 days overdue" in message.body and "in 18 days" in message.body
    assert "Far away" not in message.body
    assert "Due soon or overdue" in message.alternatives[0][0]
    delivery.run_once(NOW + dt.timedelta(hours=3))
    assert len(mail.outbox) == 1  # once per period, like the stale ones


def test_naive_now_is_read_in_local_time_by_every_edge():
    # Before, the task left it naive (comparing it with aware datetimes raised) while the
    # command made it aware: one parser now.
    moment = clock.parse_moment("2026-11-22T09:00")
    assert moment == NOW
    with pytest.raises(clock.InvalidMoment):
        clock.parse_moment("yesterday")


def test_send_task_accepts_a_naive_moment(officer):
    commitment = stale_commitment(responsible=[officer])
    result = tasks.send_reminder_digest.apply(
        args=(officer.pk, PERIOD, [commitment.pk], "2026-11-22T09:00")
    )
    assert result.get() == "sent"


class _Phased(delivery.PhasedEmailBackend):
    """The phased backend's decision, without a server: fail at a chosen phase."""

    fail_at = Reminder.Phase.GREETING

    def open(self):
        return False

    def send_messages(self, messages):
        if self.fail_at == Reminder.Phase.END_OF_DATA:
            self.before_end_of_data()
        self.phase = self.fail_at
        raise smtplib.SMTPServerDisconnected("timed out")


@pytest.mark.parametrize(
    ("phase", "outcome", "status", "planned_again"),
    [
        (Reminder.Phase.GREETING, "failed", Status.FAILED, True),
        (Reminder.Phase.DATA, "failed", Status.FAILED, True),
        (Reminder.Phase.END_OF_DATA, delivery.Outcome.IN_DOUBT, Status.PENDING, False),
    ],
)
def test_only_a_timeout_after_the_end_of_data_is_in_doubt(
    officer, monkeypatch, phase, outcome, status, planned_again
):
    commitment = stale_commitment(responsible=[officer])
    monkeypatch.setattr(_Phased, "fail_at", phase)
    monkeypatch.setattr(delivery, "open_connection", lambda: _Phased())
    (result,) = delivery.deliver_digests(
        [planning.Digest(officer.pk, PERIOD, (commitment.pk,))], now=NOW
    ).values()
    assert result.outcome == outcome
    reminder = Reminder.objects.get()
    assert (reminder.delivery_status, reminder.phase) == (status, phase)
    assert "timed out" in reminder.last_error
    assert delivery.is_in_doubt(reminder, NOW) is (not planned_again)
    assert bool(planning.plan_digests(NOW).digests) is planned_again
