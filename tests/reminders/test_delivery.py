"""Exactly once per period: claims, idempotent runs, failures, retries and crashed workers."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from commitments.reminders import delivery, email, planning, tasks
from commitments.reminders.models import Reminder
from tests.support.factories import UserFactory
from tests.support.reminders import NOW, PERIOD, deliver, stale_commitment
from tracker.celery import app as celery_app

pytestmark = pytest.mark.django_db
Status = Reminder.DeliveryStatus


@pytest.fixture
def eager_retries():
    """Let eager `apply()` run retries inline as a worker would, instead of raising Retry."""
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


def test_running_the_job_twice_in_a_period_sends_one_digest_per_recipient(
    two_officers_with_stale_work,
):
    first = delivery.run_once(NOW)
    second = delivery.run_once(NOW + dt.timedelta(hours=5))
    assert sorted(m.to[0] for m in mail.outbox) == ["aigerim@example.org", "bakyt@example.org"]
    assert {d.outcome for d in first.deliveries.values()} == {delivery.Outcome.SENT}
    assert second.digests == []  # already sent: not even planned
    assert Reminder.objects.filter(period=PERIOD, delivery_status=Status.SENT).count() == 2


def test_the_next_period_sends_again(two_officers_with_stale_work):
    with time_machine.travel(NOW, tick=False):
        delivery.run_once(NOW)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        delivery.run_once(NOW + dt.timedelta(days=1))
    assert len(mail.outbox) == 4
    assert set(Reminder.objects.values_list("period", flat=True)) == {PERIOD, "2026-11-23"}


def test_a_duplicate_delivery_of_the_same_digest_is_turned_away(officer):
    commitment = stale_commitment(responsible=[officer])
    first = deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    again = deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    assert (first.outcome, again.outcome) == (
        delivery.Outcome.SENT,
        delivery.Outcome.ALREADY_SENT,
    )
    assert len(mail.outbox) == 1


def test_sent_reminder_records_its_commitments(two_officers_with_stale_work):
    aigerim, _ = two_officers_with_stale_work
    delivery.run_once(NOW)
    reminder = Reminder.objects.get(recipient=aigerim)
    assert sorted(reminder.commitments.values_list("title", flat=True)) == [
        "Build logistics complex",
        "Raise trade to $2 billion",
    ]
    assert (reminder.attempts, reminder.last_error) == (1, "")
    assert reminder.sent_at is not None


def test_commitment_reviewed_after_planning_is_left_out_of_the_digest(officer):
    a = stale_commitment(responsible=[officer], title="Still stale")
    b = stale_commitment(responsible=[officer], title="Reviewed meanwhile")
    (digest,) = planning.plan_digests(NOW).digests
    b.last_reviewed_at = NOW - dt.timedelta(hours=1)
    b.save()
    deliver(officer.pk, digest.period, digest.commitment_ids, now=NOW)
    assert "Still stale" in mail.outbox[0].body
    assert "Reviewed meanwhile" not in mail.outbox[0].body
    assert list(Reminder.objects.get().commitments.all()) == [a]


def test_failed_send_is_recorded_failed_never_sent(flaky, officer):
    commitment = stale_commitment(responsible=[officer])
    flaky.failures_left = 1
    with pytest.raises(delivery.DeliveryFailed):
        deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    reminder = Reminder.objects.get()
    assert reminder.delivery_status == Status.FAILED
    assert reminder.sent_at is None
    assert reminder.attempts == 1
    assert "SMTPServerDisconnected" in reminder.last_error
    assert mail.outbox == []


def test_retry_after_a_failure_delivers_once_and_marks_it_sent(flaky, officer):
    commitment = stale_commitment(responsible=[officer])
    flaky.failures_left = 2
    for _ in range(2):
        with pytest.raises(delivery.DeliveryFailed):
            deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    result = deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.SENT
    reminder = Reminder.objects.get()
    assert (reminder.delivery_status, reminder.attempts, reminder.last_error) == (
        Status.SENT,
        3,
        "",
    )
    assert len(mail.outbox) == 1


def test_send_task_retries_a_refused_send_then_delivers_once(eager_retries, flaky, officer):
    commitment = stale_commitment(responsible=[officer])
    flaky.failures_left = 2
    result = tasks.send_reminder_digest.apply(
        args=(officer.pk, PERIOD, [commitment.pk], NOW.isoformat())
    )
    assert result.get() == "sent"
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert (reminder.delivery_status, reminder.attempts) == (Status.SENT, 3)


def test_send_task_gives_up_after_max_retries_and_leaves_it_failed(eager_retries, flaky, officer):
    commitment = stale_commitment(responsible=[officer])
    flaky.failures_left = 100
    result = tasks.send_reminder_digest.apply(
        args=(officer.pk, PERIOD, [commitment.pk], NOW.isoformat())
    )
    with pytest.raises(delivery.DeliveryFailed):
        result.get()
    reminder = Reminder.objects.get()
    assert reminder.delivery_status == Status.FAILED
    assert reminder.attempts == tasks.send_reminder_digest.max_retries + 1
    assert mail.outbox == []


def test_send_task_policy_stays_under_the_brokers_visibility_timeout(settings):
    task = tasks.send_reminder_digest
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    assert task.acks_late and celery_app.conf.task_reject_on_worker_lost
    assert visibility / 2 > settings.REMINDER_RETRY_BACKOFF_MAX
    assert task.time_limit < settings.REMINDER_CLAIM_LEASE < visibility / 2
    assert task.max_retries >= 3


def test_backoff_never_retries_at_once_and_stays_under_its_cap(settings):
    settings.REMINDER_RETRY_BACKOFF, settings.REMINDER_RETRY_BACKOFF_MAX = 60, 600
    delays = [tasks.backoff(n) for n in range(12) for _ in range(50)]
    assert min(delays) >= 60  # full jitter allowed 0 s: a retry into the same outage
    assert max(delays) <= 600
    assert min(tasks.backoff(10) for _ in range(50)) >= 300  # late retries wait near the cap


def test_beat_job_enqueues_one_send_per_recipient(eager_celery, two_officers_with_stale_work):
    result = tasks.send_stale_reminders.apply(kwargs={"now": NOW.isoformat()})
    assert result.get() == {"period": PERIOD, "enqueued": 2}
    assert len(mail.outbox) == 2
    assert tasks.send_stale_reminders.apply(kwargs={"now": NOW.isoformat()}).get() == {
        "period": PERIOD,
        "enqueued": 0,
    }
    assert len(mail.outbox) == 2


# --- Crashed workers ----------------------------------------------------------------------------


def abandoned_claim(officer, commitment, *, age, handed_to_mail_server):
    claimed_at = timezone.now() - age
    reminder = Reminder.objects.create(
        recipient=officer,
        period=PERIOD,
        claimed_at=claimed_at,
        phase=Reminder.Phase.END_OF_DATA if handed_to_mail_server else Reminder.Phase.GREETING,
        attempts=1,
    )
    reminder.commitments.set([commitment])
    return reminder


def test_live_claim_of_another_worker_is_not_taken_over(officer):
    commitment = stale_commitment(responsible=[officer])
    abandoned_claim(officer, commitment, age=dt.timedelta(seconds=5), handed_to_mail_server=False)
    result = deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.HELD
    assert 590 < result.check_again_in <= 601  # when the 600 s lease runs out
    assert mail.outbox == []


def test_claim_abandoned_before_sending_is_reclaimed_after_the_lease(officer):
    commitment = stale_commitment(responsible=[officer])
    abandoned_claim(officer, commitment, age=dt.timedelta(minutes=11), handed_to_mail_server=False)
    result = deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.SENT
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().delivery_status == Status.SENT


def test_claim_abandoned_after_handing_to_the_mail_server_is_never_resent(officer):
    commitment = stale_commitment(responsible=[officer])
    abandoned_claim(officer, commitment, age=dt.timedelta(hours=5), handed_to_mail_server=True)
    result = deliver(officer.pk, PERIOD, [commitment.pk], now=NOW)
    assert result.outcome is delivery.Outcome.IN_FLIGHT
    assert mail.outbox == []
    assert Reminder.objects.get().delivery_status == Status.PENDING


def test_worker_whose_claim_was_taken_over_does_not_send(officer):
    commitment = stale_commitment(responsible=[officer])
    stamp = timezone.now()
    ((mine_id, mine),) = delivery.claim_many(
        PERIOD, {officer.pk: [commitment.pk]}, stamp=stamp - dt.timedelta(hours=1)
    ).values()
    # This worker stalled past the lease; another takes the row over (a new token).
    ((theirs_id, theirs),) = delivery.claim_many(
        PERIOD, {officer.pk: [commitment.pk]}, stamp=stamp
    ).values()
    assert (theirs_id, Reminder.objects.get().attempts) == (mine_id, 2)
    message = email.build_digest_email(officer, [commitment], period=PERIOD, now=NOW)
    backend = delivery.open_connection()
    lost = delivery._send_claimed(mine_id, mine, message, backend)
    assert lost.outcome is delivery.Outcome.LOST_CLAIM
    assert delivery._send_claimed(theirs_id, theirs, message, backend).outcome == "sent"
    assert len(mail.outbox) == 1


def test_dry_run_command_prints_recipients_and_sends_nothing(two_officers_with_stale_work):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_reminders", "--dry-run", "--now", NOW.isoformat(), stdout=out)
    text = out.getvalue()
    assert "Period 2026-11-22: 2 recipient(s) owed a digest" in text
    assert "aigerim <aigerim@example.org>: 2 stale, 0 due, would send" in text
    assert "Raise trade to $2 billion" in text
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_command_sends_and_a_second_run_sends_nothing(two_officers_with_stale_work):
    from io import StringIO

    from django.core.management import call_command

    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())
    out = StringIO()
    call_command("send_reminders", "--now", NOW.isoformat(), stdout=out)
    assert len(mail.outbox) == 2
    assert "0 recipient(s)" in out.getvalue()


def test_command_refuses_a_malformed_now():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--now"):
        call_command("send_reminders", "--now", "yesterday")


def test_one_digest_costs_the_same_queries_for_one_or_five_commitments(
    django_assert_num_queries, kz
):
    def send(user, commitments):
        ids = [c.pk for c in commitments]
        # 1 the recipient (eligibility), 2 the commitments, 3 INSERT the claim, 4 UPDATE a
        # claim to take over (none), 5 SELECT the claims won, 6 INSERT reminder-commitment rows,
        # 7 UPDATE hand-off (end of DATA), 8 UPDATE sent, 9 the recipient's countries (the
        # language of a recipient who chose none and never opened the admin)
        with django_assert_num_queries(9):
            result = deliver(user.pk, PERIOD, ids, now=NOW)
        assert result.outcome is delivery.Outcome.SENT

    one, five = UserFactory(username="one"), UserFactory(username="five")
    send(one, [stale_commitment(responsible=[one])])
    send(five, [stale_commitment(responsible=[five]) for _ in range(5)])
