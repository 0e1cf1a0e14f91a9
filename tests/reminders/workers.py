"""Start and stop real `celery -A tracker worker` subprocesses for the real-component tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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
    *, database_url: str, broker_url: str, smtp_port: int, var_dir: Path, **overrides: str
) -> dict[str, str]:
    """A worker's environment: the test database and broker, the test's SMTP server, no pooled
    connections, and retries that back off 1-2 s so that tests wait them out quickly."""
    return clean_env(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="0",
        CELERY_BROKER_URL=broker_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        TRACKER_VAR_DIR=str(var_dir),
        REMINDER_RETRY_BACKOFF="1",
        REMINDER_RETRY_BACKOFF_MAX="2",
        **overrides,
    )


def start_worker(env: dict[str, str], name: str, log: Path, *extra: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "tracker", "worker",
        "--loglevel=INFO", "--concurrency=2", f"--hostname={name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(check: Callable[[], object], *, timeout: float, what: str, logs=()) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    tails = "\n".join(f"--- {p}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.\n{tails}")
