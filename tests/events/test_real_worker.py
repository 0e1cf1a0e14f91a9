"""Events and webhooks on the real parts: PostgreSQL, Redis, `celery -A tracker worker -B`
subprocesses, writer processes and an HTTP receiver on 127.0.0.1.

Run by the second tier (DATABASE_URL on PostgreSQL, CELERY_BROKER_URL on Redis). Workers and
writers connect to the test database pytest-django created, so the tests use transactional_db.
Each prints its fault counts; `test_delivery_rate_with_one_worker` prints events/s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from django.db import transaction

from commitments import services
from commitments.actors import SystemActor
from commitments.events.models import Event, WebhookDelivery, WebhookEndpoint
from commitments.models import ApiToken
from tests.support.factories import CommitmentFactory, UserFactory
from tests.support.webhooks import Receiver, free_port, readme_verify
from tests.support.workers import (
    launch,
    short_webhook_waits,
    start_worker,
    tails,
    test_database_url,
    wait_for,
    worker_env,
)

pytestmark = pytest.mark.services
SECRET = "a-shared-secret-of-32-characters"
Outcome = WebhookDelivery.Outcome


class Processes:
    """Workers and writers started by one test, each in a session of its own so that SIGKILL
    reaches a worker's pool processes too; every one is stopped at teardown."""

    def __init__(self, tmp_path, broker_url):
        self.tmp_path = tmp_path
        self.broker_url = broker_url
        self.started: list[subprocess.Popen] = []
        self.logs = []
        (tmp_path / "celery").mkdir(exist_ok=True)

    def env(self, broker_url: str | None = None) -> dict[str, str]:
        return worker_env(
            database_url=test_database_url(),
            broker_url=broker_url or self.broker_url,
            var_dir=self.tmp_path,
            EVENTS_DISPATCH_INTERVAL="1",
            **short_webhook_waits(claim_lease=7, retry_backoff_max=2),
            EVENTS_WEBHOOK_RETRY_BACKOFF="1",
            EVENTS_WEBHOOK_DISABLE_AFTER="1000",
            LOG_LEVEL="WARNING",
        )

    def _log(self, name: str) -> Path:
        log = self.tmp_path / f"{name}.log"
        self.logs.append(log)
        return log

    def _keep(self, process: subprocess.Popen) -> subprocess.Popen:
        self.started.append(process)
        return process

    def worker(self, concurrency: int = 2) -> subprocess.Popen:
        name = f"worker{len(self.started)}"
        beat = ["--beat", "--schedule", str(self.tmp_path / "celery" / f"{name}-beat")]
        worker = start_worker(
            self.env(), name, self._log(name), *beat,
            concurrency=concurrency, loglevel="WARNING", own_session=True,
        )  # fmt: skip
        return self._keep(worker)

    def writer(self, count: int, slugs: list[str], broker_url: str | None = None):
        command = [sys.executable, "-m", "tests.events.writer", str(count), *slugs]
        log = self._log(f"writer{len(self.started)}")
        return self._keep(launch(command, self.env(broker_url), log, own_session=True))

    def wait(self, processes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for process in processes:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            assert process.returncode == 0, tails(self.logs)

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=15)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


@pytest.fixture
def procs(transactional_db, broker_url, tmp_path):
    processes = Processes(tmp_path, broker_url)
    yield processes
    processes.stop_all()


@pytest.fixture
def receiver():
    receivers = []

    def start(port=None, **kwargs) -> Receiver:
        r = Receiver(port, **kwargs).start()
        receivers.append(r)
        return r

    yield start
    for r in receivers:
        r.stop()


def commitments(count: int) -> list[str]:
    slugs = [f"c-{i:02d}" for i in range(count)]
    for slug in slugs:
        CommitmentFactory(slug=slug, partners=["KG"])
    return slugs


def endpoint(url: str, **fields) -> WebhookEndpoint:
    owner = UserFactory(username=f"owner-{free_port()}")
    return WebhookEndpoint.objects.create(owner=owner, url=url, secret=SECRET, **fields)


def feed_ids() -> list[str]:
    return [str(u) for u in Event.objects.order_by("xid", "id").values_list("uuid", flat=True)]


def report(name: str, **counts) -> None:
    line = ", ".join(f"{k}={v}" for k, v in counts.items())
    sys.__stdout__.write(f"\n[events] {name}: {line}\n")


def assert_versions_increase(received) -> None:
    """Per commitment, the versions arrive strictly increasing: commit order, as seen outside."""
    last: dict[int, int] = defaultdict(int)
    for request in received:
        body = request.json()["commitment"]
        assert body["version"] > last[body["id"]], body
        last[body["id"]] = body["version"]


def test_thousand_concurrent_changes_reach_each_endpoint_once_and_in_order(procs, receiver):
    slugs = commitments(10)
    hook = receiver()
    first = endpoint(hook.url("/a"))
    second = endpoint(hook.url("/b"))
    procs.worker(concurrency=2)
    writers = [procs.writer(250, slugs) for _ in range(4)]
    procs.wait(writers, timeout=240)
    assert Event.objects.count() == 1000
    expected = feed_ids()

    for path in ("/a", "/b"):
        wait_for(
            lambda path=path: len(hook.ids(path)) >= 1000,
            timeout=240,
            what=f"1,000 deliveries to {path}",
            logs=procs.logs,
        )
    time.sleep(1.5)  # a duplicate, if any, would follow within a dispatch interval
    verify = readme_verify()
    for path in ("/a", "/b"):
        assert hook.ids(path) == expected  # every id once, in commit order
        received = [r for r in hook.received if r.path == path]
        assert all(verify(SECRET, r.headers, r.body) for r in received)
        assert_versions_increase(received)
    for ep in (first, second):
        ep.refresh_from_db()
        assert (ep.consecutive_failures, ep.is_active) == (0, True)
    report(
        "1,000 concurrent changes, 4 writer processes, 2 endpoints",
        events=1000,
        deliveries_a=len(hook.ids("/a")),
        deliveries_b=len(hook.ids("/b")),
        duplicates=0,
        out_of_order=0,
    )


def test_receiver_down_then_up_delivers_everything_and_logs_the_failures(procs, receiver):
    slugs = commitments(2)
    port = free_port()  # nothing listens yet: connections are refused
    ep = endpoint(f"http://127.0.0.1:{port}/hook")
    procs.worker()
    procs.wait([procs.writer(20, slugs)], timeout=60)
    wait_for(
        lambda: WebhookDelivery.objects.filter(outcome=Outcome.FAILED).count() >= 3,
        timeout=60,
        what="3 failed attempts logged",
        logs=procs.logs,
    )
    assert not WebhookDelivery.objects.filter(outcome=Outcome.DELIVERED).exists()

    hook = receiver(port)
    wait_for(lambda: len(hook.unique_ids()) >= 20, timeout=60, what="20 events", logs=procs.logs)
    time.sleep(1.5)
    assert hook.ids() == feed_ids()
    failed = WebhookDelivery.objects.filter(endpoint=ep, outcome=Outcome.FAILED)
    assert all("ConnectError" in row.error for row in failed)
    ep.refresh_from_db()
    assert ep.consecutive_failures == 0
    report(
        "receiver down then up",
        events=20,
        failed_attempts_logged=failed.count(),
        delivered=len(hook.ids()),
        duplicates=0,
    )


def test_changes_made_while_the_broker_is_down_are_kept_and_delivered_after(procs, receiver):
    slugs = commitments(3)
    hook = receiver()
    endpoint(hook.url())
    closed = f"redis://127.0.0.1:{free_port()}/9"  # the writers' broker: nothing listens there
    started = time.monotonic()
    procs.wait([procs.writer(50, slugs, broker_url=closed) for _ in range(2)], timeout=120)
    writing = time.monotonic() - started
    assert Event.objects.count() == 100  # every committed change kept its event
    kicks_failed = sum(log.read_text().count("Could not kick") for log in procs.logs)
    assert kicks_failed >= 2  # every kick failed (at most two a second per writer); no write did

    procs.worker()  # on the real broker: its beat dispatches what the kicks could not
    wait_for(lambda: len(hook.ids()) >= 100, timeout=120, what="100 events", logs=procs.logs)
    time.sleep(1.5)
    assert hook.ids() == feed_ids()
    report(
        "broker down while writing",
        changes=100,
        events_kept=Event.objects.count(),
        kicks_failed=kicks_failed,
        delivered_after=len(hook.ids()),
        duplicates=0,
        writers_seconds=f"{writing:.1f}",
    )


def test_a_worker_killed_mid_delivery_is_redelivered_and_none_is_missing(procs, receiver):
    slugs = commitments(3)
    hook = receiver(delay=0.02)  # slow enough to kill the worker in the middle
    endpoint(hook.url())
    procs.wait([procs.writer(300, slugs)], timeout=120)
    first = procs.worker(concurrency=1)
    wait_for(lambda: len(hook.ids()) >= 50, timeout=60, what="50 deliveries", logs=procs.logs)
    procs.kill(first)
    at_kill = len(hook.ids())

    procs.worker(concurrency=1)
    wait_for(lambda: len(hook.unique_ids()) >= 300, timeout=120, what="300 events", logs=procs.logs)
    time.sleep(1.5)
    expected = feed_ids()
    assert hook.unique_ids() == expected  # after dropping repeats by id: all, in order
    duplicates = len(hook.ids()) - len(expected)
    assert duplicates <= 1  # at most the one event in flight when the worker died
    report(
        "worker killed (SIGKILL) mid-delivery",
        events=300,
        received_before_kill=at_kill,
        received_total=len(hook.ids()),
        duplicates_dropped_by_receiver=duplicates,
        missing=0,
    )


def test_a_rolled_back_write_sends_no_event(procs, receiver):
    (slug,) = commitments(1)
    hook = receiver()
    endpoint(hook.url())
    procs.worker()
    from commitments.models import Commitment

    c = Commitment.objects.get(slug=slug)

    def update(text):
        services.commitment_update(
            commitment=c, actor=SystemActor.INGESTION, data={"description": text}
        )

    update("before")
    with pytest.raises(RuntimeError), transaction.atomic():
        update("rolled back")
        raise RuntimeError("abort")
    update("after")

    wait_for(lambda: len(hook.ids()) >= 2, timeout=60, what="2 events", logs=procs.logs)
    time.sleep(2)  # a third delivery, if any, would arrive by now
    assert Event.objects.count() == 2
    versions = [r.json()["commitment"]["version"] for r in hook.received]
    assert versions == [2, 3]
    report("rolled-back write", committed=2, rolled_back=1, events=2, delivered=len(versions))


def test_feed_polled_while_writers_commit_has_no_gap_and_no_repeat(procs, live_server):
    slugs = commitments(6)
    user = UserFactory(username="poller", is_staff=False)
    _, key = ApiToken.objects.issue(user, "poller")
    writers = [procs.writer(150, slugs) for _ in range(4)]
    seen: list[str] = []
    polls = 0
    url = f"{live_server.url}/api/v1/events/?page_size=37"
    deadline = time.monotonic() + 240
    with httpx.Client(headers={"Authorization": f"Token {key}"}, timeout=10) as client:
        while time.monotonic() < deadline:
            writing = any(w.poll() is None for w in writers)
            page = client.get(url).json()
            polls += 1
            seen += [event["id"] for event in page["results"]]
            url = page["next"]
            if not writing and not page["has_more"] and len(seen) >= 600:
                break
            if not page["has_more"]:
                time.sleep(0.05)
    procs.wait(writers, timeout=10)
    assert len(seen) == len(set(seen)) == 600
    assert seen == feed_ids()
    report("feed polled during 600 concurrent changes", polls=polls, seen=len(seen), gaps=0)


def test_delivery_rate_with_one_worker(procs, receiver):
    slugs = commitments(5)
    hook = receiver()
    endpoint(hook.url())
    procs.wait([procs.writer(1000, slugs)], timeout=180)
    procs.worker(concurrency=1)
    wait_for(lambda: len(hook.ids()) >= 1, timeout=60, what="a first delivery", logs=procs.logs)
    started = time.monotonic()
    first = len(hook.ids())
    wait_for(lambda: len(hook.ids()) >= 1000, timeout=180, what="1,000", logs=procs.logs)
    elapsed = time.monotonic() - started
    rate = (1000 - first) / elapsed
    assert hook.ids() == feed_ids()
    report("delivery rate, one worker (concurrency 1)", events=1000, events_per_s=f"{rate:.0f}")
