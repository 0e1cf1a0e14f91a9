"""API throttling counts across every worker process of the server.

The throttle's counts live in the cache. A per-process (locmem) cache let a 20/minute limit through
67 times with 4 gunicorn workers; the default is now a cache all processes share (file-based under
TRACKER_VAR_DIR), or Redis with CACHE_URL.
"""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from perf.runner import free_port, gunicorn_command

LIMIT = 5
REQUESTS = 30
WORKERS = 3


def throttled_statuses(tmp_path, **overrides) -> list[int]:
    """Start gunicorn with WORKERS processes and a low anonymous limit, GET a public, throttled
    API page REQUESTS times (one connection each, so the kernel spreads them over the workers)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "API_THROTTLE"))
    }
    env.update(
        TRACKER_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        API_THROTTLE_ANON=f"{LIMIT}/minute",
        LOG_LEVEL="WARNING",
        **overrides,
    )
    port = free_port()
    proc = subprocess.Popen(  # the schema's documentation page: public, throttled, no database
        gunicorn_command(port, WORKERS, "--graceful-timeout", "2"),
        cwd=settings.BASE_DIR,
        env=env,
    )
    statuses: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
                time.sleep(0.2)
        time.sleep(1)  # let every worker boot, so that they all take requests
        for _ in range(REQUESTS):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/docs/", timeout=10):
                    statuses.append(200)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return statuses


def test_the_embedded_default_throttles_across_worker_processes(tmp_path):
    statuses = throttled_statuses(tmp_path)
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == REQUESTS - LIMIT


@pytest.mark.services
def test_redis_cache_url_throttles_across_worker_processes(tmp_path):
    import redis

    broker = os.environ.get("CELERY_BROKER_URL", "")
    assert broker.startswith("redis://"), "the services tier sets CELERY_BROKER_URL to Redis"
    client = redis.Redis.from_url(broker)

    def forget_counts() -> None:  # only this test's anonymous counts, in the broker's database
        for key in client.scan_iter(match="*throttle_anon_127.0.0.1", count=1000):
            client.delete(key)

    forget_counts()
    try:
        statuses = throttled_statuses(tmp_path, CACHE_URL=broker)
    finally:
        forget_counts()
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == REQUESTS - LIMIT
