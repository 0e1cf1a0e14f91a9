"""Start and stop real `celery -A tracker worker` and `beat` subprocesses for the real-component
tests (reminders and events), and wait on what they do."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def clean_env(**overrides: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "EMAIL_", "REMINDER_", "DJANGO_"))
    }
    env.update(PYTHONUNBUFFERED="1", DJANGO_SETTINGS_MODULE="tracker.settings", **overrides)
    return env


def test_database_url(*, port: int | None = None) -> str:
    """The PostgreSQL test database pytest-django made, for worker subprocesses; with `port`, as
    reached through a local proxy listening there."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql", "run this tier with DATABASE_URL"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = ("127.0.0.1", port) if port else (db["HOST"], db["PORT"] or 5432)
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def worker_env(
    *, database_url: str, broker_url: str, var_dir: Path, **overrides: str
) -> dict[str, str]:
    """A worker's environment: the test database with no pooled connections, the test broker,
    and the test's var directory."""
    return clean_env(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="0",
        CELERY_BROKER_URL=broker_url,
        TRACKER_VAR_DIR=str(var_dir),
        **overrides,
    )


def reminder_worker_env(*, smtp_port: int, **kwargs: str | Path) -> dict[str, str]:
    """`worker_env` sending email to the test's SMTP server, with retries that back off 1-2 s so
    that tests wait them out quickly."""
    return worker_env(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        REMINDER_RETRY_BACKOFF="1",
        REMINDER_RETRY_BACKOFF_MAX="2",
        **kwargs,
    )


def short_webhook_waits(*, claim_lease: int, retry_backoff_max: int) -> dict[str, str]:
    """Webhook delivery that fits a test's time: 5 events a slice, 1 s to connect, 2 s to read;
    the lease and the longest retry delay are each suite's own."""
    return {
        "EVENTS_DELIVERY_SLICE": "5",
        "EVENTS_WEBHOOK_CONNECT_TIMEOUT": "1",
        "EVENTS_WEBHOOK_READ_TIMEOUT": "2",
        "EVENTS_WEBHOOK_CLAIM_LEASE": str(claim_lease),
        "EVENTS_WEBHOOK_RETRY_BACKOFF_MAX": str(retry_backoff_max),
    }


def launch(
    command: list[str], env: dict[str, str], log: Path, *, own_session: bool = False
) -> subprocess.Popen:
    """Run `command` from the project root, its output to `log`; with `own_session`, in a process
    group of its own, so that `os.killpg` reaches a worker's pool processes too."""
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=own_session,
    )


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "tracker", *args]


def start_worker(
    env: dict[str, str],
    name: str,
    log: Path,
    *extra: str,
    concurrency: int = 2,
    loglevel: str = "INFO",
    own_session: bool = False,
) -> subprocess.Popen:
    command = celery(
        "worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", f"--hostname={name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", *extra,
    )  # fmt: skip
    return launch(command, env, log, own_session=own_session)


def start_beat(env: dict[str, str], log: Path, schedule: Path) -> subprocess.Popen:
    return launch(celery("beat", "--loglevel=INFO", "-s", str(schedule)), env, log)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def tails(logs: Iterable[Path], chars: int = 3000) -> str:
    """The end of each log, under its name, for a failure message."""
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}" for p in logs)


def wait_for(check: Callable[[], object], *, timeout: float, what: str, logs=()) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.\n{tails(logs)}")
