"""Real components: `celery -A tracker worker` subprocesses on the Redis broker and the PostgreSQL
test database, delivering to a real SMTP server (aiosmtpd) started by the test.

Run by the second tier: CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL) in the environment.
The workers connect to the test database pytest-django created, so the tests use transactional_db
(data committed, visible to other processes).
"""

import datetime as dt
import email
import time
from email.policy import default as default_policy

import pytest
import redis
from aiosmtpd.controller import Controller
from django.utils import timezone

from commitments.reminders.models import Reminder
from perf.runner import free_port
from tests.support.factories import CommitmentFactory, UserFactory
from tests.support.workers import (
    reminder_worker_env,
    start_worker,
    stop,
    test_database_url,
    wait_for,
)
from tracker.celery import app as celery_app

pytestmark = pytest.mark.services
Status = Reminder.DeliveryStatus


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def recipients(self):
        return sorted(m["To"] for m in self.messages)


def start_smtp(port: int) -> tuple[Controller, Sink]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


@pytest.fixture
def workers(transactional_db, broker_url, tmp_path):
    """Start workers with `workers(smtp_port, n)`; all are stopped at teardown, before the test
    database is flushed."""
    started, logs = [], []

    def start(smtp_port: int, count: int = 1):
        env = reminder_worker_env(
            database_url=test_database_url(),
            broker_url=broker_url,
            smtp_port=smtp_port,
            var_dir=tmp_path,
            EMAIL_TIMEOUT="3",
            REMINDER_MAX_RETRIES="20",
            REMINDER_SEND_TIME_LIMIT="5",
            REMINDER_CLAIM_LEASE="8",
        )
        for i in range(count):
            log = tmp_path / f"worker{len(started)}.log"
            logs.append(log)
            started.append(start_worker(env, f"w{len(started)}-{i}", log))

    start.logs = logs
    yield start
    for process in started:
        stop(process)


def stale_work(count: int):
    kz_users = [
        UserFactory(username=f"officer{i}", email=f"officer{i}@example.org") for i in range(count)
    ]
    for i, user in enumerate(kz_users):
        for j in range(i + 1):  # officer0 has 1 commitment, officer1 has 2, ...
            commitment = CommitmentFactory(
                slug=f"c-{i}-{j}",
                last_reviewed_at=timezone.now() - dt.timedelta(days=45),
            )
            commitment.responsible_users.add(user)
    return kz_users


def run_beat_job(times: int = 1):
    for _ in range(times):
        celery_app.send_task("commitments.reminders.send_stale_reminders")


def sent_count() -> int:
    return Reminder.objects.filter(delivery_status=Status.SENT).count()


def broker_quiet(url: str) -> bool:
    """No task waiting in the queue, and none reserved (or waiting out a retry) by a worker."""
    client = redis.Redis.from_url(url)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def test_real_worker_delivers_one_digest_per_recipient_over_smtp(workers):
    stale_work(2)
    controller, sink = start_smtp(free_port())
    try:
        workers(controller.port)
        run_beat_job()
        wait_for(lambda: sent_count() == 2, timeout=90, what="2 sent reminders", logs=workers.logs)
        wait_for(lambda: len(sink.messages) >= 2, timeout=10, what="2 messages at the SMTP server")
    finally:
        controller.stop()
    assert sink.recipients() == ["officer0@example.org", "officer1@example.org"]
    by_to = {m["To"]: m for m in sink.messages}
    assert by_to["officer0@example.org"]["Subject"] == "1 stale commitment needs your review"
    assert by_to["officer1@example.org"]["Subject"] == "2 stale commitments need your review"
    message = by_to["officer1@example.org"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert set(parts) == {"text/plain", "text/html"}
    assert "/admin/commitments/commitment/" in parts["text/plain"]
    assert "/reminders/unsubscribe/" in parts["text/html"]


def test_two_workers_racing_on_the_same_period_deliver_exactly_one_digest_each(workers, broker_url):
    stale_work(5)
    controller, sink = start_smtp(free_port())
    try:
        workers(controller.port, count=2)
        run_beat_job(times=3)  # three beat processes (or redeliveries) fire the same job
        wait_for(lambda: sent_count() == 5, timeout=120, what="5 sent reminders", logs=workers.logs)
        # Let every duplicate task (and any retry of a held claim) run to its end.
        wait_for(
            lambda: broker_quiet(broker_url), timeout=90, what="an idle broker", logs=workers.logs
        )
        time.sleep(1)
    finally:
        controller.stop()
    assert sink.recipients() == [f"officer{i}@example.org" for i in range(5)]
    assert Reminder.objects.filter(delivery_status=Status.SENT).count() == 5
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_send_is_retried_while_smtp_is_down_and_delivered_once_when_it_is_back(workers):
    (officer,) = stale_work(1)
    port = free_port()  # nothing listens here yet: connections are refused
    workers(port)
    run_beat_job()
    reminder = wait_for(
        lambda: Reminder.objects.filter(recipient=officer, delivery_status=Status.FAILED).first(),
        timeout=90,
        what="a failed attempt recorded",
        logs=workers.logs,
    )
    assert reminder.sent_at is None
    assert "refused" in reminder.last_error.lower() or "Connection" in reminder.last_error
    controller, sink = start_smtp(port)
    try:
        wait_for(
            lambda: sent_count() == 1, timeout=90, what="the retry to deliver", logs=workers.logs
        )
        time.sleep(3)  # a second delivery, if any, would arrive within the next retry delays
    finally:
        controller.stop()
    assert sink.recipients() == ["officer0@example.org"]
    reminder.refresh_from_db()
    assert reminder.delivery_status == Status.SENT
    assert reminder.attempts >= 2
    assert reminder.last_error == ""
