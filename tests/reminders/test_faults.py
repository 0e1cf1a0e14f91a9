"""The fault suite (issue 13): real workers on Redis and PostgreSQL, a scripted SMTP server, a TCP
proxy in front of PostgreSQL. Each fault ends with the same two checks: every expected recipient
has exactly one message at the server, and the Reminder rows say the same.

Waits are short through settings (backoff 1-2 s, lease 15 s, email timeout 2 s); every loop is
bounded in time; every process and server started here is stopped at teardown.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time

import pytest
from django.conf import settings
from django.utils import timezone

from commitments.reminders.models import Reminder
from tests.support.factories import CommitmentFactory, UserFactory
from tests.support.faults import ScriptedSMTP, TcpProxy, kill_pool_children
from tests.support.workers import (
    reminder_worker_env,
    short_webhook_waits,
    start_beat,
    start_worker,
    stop,
    tails,
    test_database_url,
    wait_for,
)
from tracker.celery import app as celery_app

pytestmark = pytest.mark.services
Status = Reminder.DeliveryStatus
RECIPIENTS = 12
LEASE = 15


@pytest.fixture
def rig(transactional_db, broker_url, tmp_path):
    """Start workers and beats against a proxy in front of the test database; all stopped at
    teardown."""
    db = settings.DATABASES["default"]
    proxy = TcpProxy(int(db.get("PORT") or 5432), db.get("HOST") or "127.0.0.1")
    sink = ScriptedSMTP()
    processes: list[subprocess.Popen] = []

    class Rig:
        def env(self, **extra):
            return reminder_worker_env(
                database_url=test_database_url(port=proxy.port),
                broker_url=broker_url,
                smtp_port=sink.port,
                var_dir=tmp_path,
                CELERY_VISIBILITY_TIMEOUT="40",
                # Every task's waits must fit the short visibility timeout, the events' too.
                **short_webhook_waits(claim_lease=8, retry_backoff_max=10),
                EMAIL_TIMEOUT="2",
                REMINDER_MAX_RETRIES="30",
                REMINDER_SEND_TIME_LIMIT="12",
                REMINDER_CLAIM_LEASE=str(LEASE),
                REMINDER_DB_PATIENCE="8",
                **extra,
            )

        def workers(self, count=1, concurrency=2, **extra):
            for _i in range(count):
                log = tmp_path / f"worker{len(processes)}.log"
                worker = start_worker(
                    self.env(**extra), f"f{len(processes)}", log, concurrency=concurrency
                )
                processes.append(worker)
            return processes[-count:]

        def beats(self, count, every=2):
            env = self.env(REMINDER_CATCH_UP_SECONDS=str(every))
            for i in range(count):
                log, schedule = tmp_path / f"beat{i}.log", tmp_path / f"beat{i}-schedule"
                processes.append(start_beat(env, log, schedule))

        def logs(self):
            return tails(sorted(tmp_path.glob("*.log")))

    rig = Rig()
    rig.proxy, rig.sink = proxy, sink
    yield rig
    for process in processes:
        stop(process)
    sink.stop()
    proxy.close()


def stale_work(count: int = RECIPIENTS) -> list[str]:
    emails = []
    for i in range(count):
        user = UserFactory(username=f"officer{i}", email=f"officer{i}@example.org")
        commitment = CommitmentFactory(
            slug=f"f-{i}", last_reviewed_at=timezone.now() - dt.timedelta(days=45)
        )
        commitment.responsible_users.add(user)
        emails.append(user.email)
    return emails


def fire_job():
    celery_app.send_task("commitments.reminders.send_stale_reminders")


def sent() -> int:
    return Reminder.objects.filter(delivery_status=Status.SENT).count()


def settle(rig, expected: list[str], *, timeout: float = 150, rows_sent: bool = True):
    """Wait until every expected recipient has its message (and, with `rows_sent`, a `sent`
    row), give duplicates a few seconds to show up, then check both."""
    try:
        wait_for(
            lambda: (
                set(rig.sink.delivered) >= set(expected)
                and (not rows_sent or sent() == len(expected))
            ),
            timeout=timeout,
            what="one digest per recipient",
        )
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nsink: {dict(rig.sink.delivered)}\n{rig.logs()}") from None
    time.sleep(4)  # any second copy would arrive within the retry delays
    duplicates = {to: n for to, n in rig.sink.delivered.items() if n != 1}
    assert not duplicates, duplicates
    assert sorted(rig.sink.delivered) == sorted(expected)
    rows = Reminder.objects.filter(recipient__email__in=expected)
    assert rows.count() == len(expected)  # one row per recipient and period
    if rows_sent:
        assert set(rows.values_list("delivery_status", "phase")) == {(Status.SENT, "answered")}
    return rows


def test_database_cut_while_sending(rig):
    expected = stale_work()
    rig.sink.answer_delay = 0.3  # sending takes a few seconds, so the cut lands in the middle
    rig.sink.start()
    rig.workers()
    fire_job()
    wait_for(lambda: len(rig.sink.delivered) >= 2, timeout=60, what="the first deliveries")
    rig.proxy.cut()
    time.sleep(4)
    rig.proxy.restore()
    settle(rig, expected)


def test_database_cut_when_the_job_fires(rig):
    expected = stale_work()
    rig.sink.start()
    rig.workers()
    rig.proxy.cut()
    fire_job()
    time.sleep(4)
    rig.proxy.restore()
    settle(rig, expected)


def test_smtp_down_then_back(rig):
    expected = stale_work()
    reserved = ScriptedSMTP()
    port = reserved.start()
    reserved.stop()  # nothing listens on the port now: connections are refused
    rig.sink.port = port
    rig.workers()
    fire_job()
    wait_for(
        lambda: Reminder.objects.filter(delivery_status=Status.FAILED).exists(),
        timeout=60,
        what="a refused attempt",
    )
    time.sleep(4)
    rig.sink.start(port)
    settle(rig, expected)


def test_smtp_refusing_then_accepting(rig):
    expected = stale_work()
    rig.sink.refuse = b"421 sink busy, try later"
    rig.sink.start()
    rig.workers()
    fire_job()
    wait_for(
        lambda: Reminder.objects.filter(phase="greeting", delivery_status=Status.FAILED).exists(),
        timeout=60,
        what="a refusal recorded at the greeting",
    )
    time.sleep(3)
    rig.sink.refuse = None
    settle(rig, expected)


def test_smtp_answers_after_the_clients_timeout(rig):
    expected = stale_work(6)
    rig.sink.answer_delay = 3  # EMAIL_TIMEOUT is 2 s: the answer comes after the client gave up
    rig.sink.start()
    rig.workers()
    fire_job()
    rows = settle(rig, expected, rows_sent=False, timeout=90)
    wait_for(
        lambda: rows.filter(phase="end_of_data").exclude(last_error="").count() == len(expected),
        timeout=30,
        what="every row recorded in doubt",
    )
    assert set(rows.values_list("delivery_status", "attempts")) == {(Status.PENDING, 1)}


@pytest.mark.parametrize("phase", ["greeting", "data"])
def test_worker_killed_during_the_smtp_conversation(rig, phase):
    expected = stale_work(4)
    rig.sink.stall_first = True
    if phase == "greeting":
        rig.sink.greeting_delay = 30
    else:
        rig.sink.data_delay = 30
    rig.sink.start()
    (worker,) = rig.workers(concurrency=1)
    fire_job()
    wait_for(lambda: phase in rig.sink.events, timeout=60, what=f"a worker in the {phase}")
    assert kill_pool_children(worker.pid), "no pool process to kill"
    settle(rig, expected, timeout=LEASE + 120)


def test_two_workers_and_two_beats(rig):
    expected = stale_work(20)
    rig.sink.start()
    rig.workers(count=2)
    rig.beats(2, every=2)
    settle(rig, expected, timeout=120)
    assert Reminder.objects.filter(attempts__gt=1).count() == 0
