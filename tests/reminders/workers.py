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
