"""Hostile files against the production start (gunicorn gthread, DEBUG off): each answers a 413
problem within seconds, and neither the server's worker nor the process reading the file grows
past a bound. Before, one tied a thread up for minutes and gigabytes; two answered 500 HTML; 5 MB
of one repeated announcement became a source (and 74,883 suggestions): now past the character
limit (INGESTION_MAX_TEXT_CHARS), and a source's suggestions are capped (test_flood).

The server's memory is read from /proc while the request runs: the gunicorn worker's peak
(VmHWM) and the largest resident size seen of any process under it (the sandbox reading the file).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from perf.runner import free_port, gunicorn_command
from tests.support import bombs
from tests.test_production_start import production_env, stop

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads process memory from /proc (Linux)"
)

SECONDS = 25  # the client's patience: the server's limit is INGESTION_EXTRACTION_SECONDS (20)
WORKER_PEAK_MB = 400
SANDBOX_PEAK_MB = 1100


def _manage(env, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return done.stdout


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        children = _children(todo.pop())
        found += children
        todo += children
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("production")
    env = production_env(var_dir)
    env["INGESTION_ANALYSE_ON_SAVE"] = "false"  # no broker here: only the upload is measured
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(
        env, "shell", "-c",
        "from tests.support.factories import CountryFactory, UserFactory;"
        "CountryFactory(code='KZ'); UserFactory(username='uploader', countries=['KZ'])",
    )  # fmt: skip
    token = _manage(env, "issue_token", "uploader", "--name", "bomb-tests").strip().split()[-1]
    port = free_port()
    proc = subprocess.Popen(
        gunicorn_command(port, 1, "--worker-class", "gthread", "--threads", "2"),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                login = f"http://127.0.0.1:{port}/admin/login/"
                urllib.request.urlopen(login, timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, stop(proc)
                time.sleep(0.3)
        yield port, token, proc
    finally:
        stop(proc)


def _upload(port: int, token: str, name: str, data: bytes) -> tuple[int, dict, float]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="published_on"\r\n\r\n'
            f'2025-01-01\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return _post(port, token, body, f"multipart/form-data; boundary={boundary}")


def _post(port: int, token: str, body: bytes, content_type: str) -> tuple[int, dict, float]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/sources/",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": content_type,
            "Accept": "application/json",
        },
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=SECONDS) as response:  # noqa: S310 (loopback)
            status, raw, kind = response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers["Content-Type"]
    elapsed = time.monotonic() - started
    assert "json" in (kind or ""), (status, raw[:300])
    return status, json.loads(raw), elapsed


class Watch(threading.Thread):
    """Samples the server's processes every 20 ms while a request runs (bounded by `SECONDS`)."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.stopping = master, threading.Event()
        self.worker_peak_kb = self.sandbox_peak_kb = 0

    def run(self):
        deadline = time.monotonic() + SECONDS + 5
        while not self.stopping.is_set() and time.monotonic() < deadline:
            workers = _children(self.master)
            for worker in workers:
                self.worker_peak_kb = max(self.worker_peak_kb, _status_kb(worker, "VmHWM"))
                for child in _descendants(worker):
                    self.sandbox_peak_kb = max(self.sandbox_peak_kb, _status_kb(child, "VmHWM"))
            time.sleep(0.02)


BOMBS = {
    "200 pages sharing one 70 MB stream": bombs.shared_stream_pdf,
    "one 300 MB stream": bombs.huge_stream_pdf,
    "10 million text operators": bombs.many_operators_pdf,
}


def _flood() -> bytes:
    return bombs.repeated_announcement(settings.INGESTION_MAX_UPLOAD_BYTES - 1024).encode()


BOMBS["5 MB of one repeated announcement (.txt)"] = _flood


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_is_a_413_problem_within_seconds_and_bounded_memory(server, name):
    port, token, proc = server
    data = BOMBS[name]()
    assert len(data) < settings.INGESTION_MAX_UPLOAD_BYTES
    watch = Watch(proc.pid)
    watch.start()
    try:
        file_name = "flood.txt" if "txt" in name else "bomb.pdf"
        status, problem, elapsed = _upload(port, token, file_name, data)
    finally:
        watch.stopping.set()
        watch.join(timeout=5)
    figures = (
        f"{name}: {len(data) // 1024} KB file, status {status}, {elapsed:.1f} s, gunicorn worker "
        f"peak {watch.worker_peak_kb // 1024} MB, sandbox peak {watch.sandbox_peak_kb // 1024} MB"
    )
    print(figures)
    assert status == 413, (figures, problem)
    assert problem["type"] == "urn:tracker:problem:too-large"
    assert elapsed < settings.INGESTION_EXTRACTION_SECONDS + 3, figures
    assert watch.worker_peak_kb < WORKER_PEAK_MB * 1024, figures
    assert watch.sandbox_peak_kb < SANDBOX_PEAK_MB * 1024, figures
    assert proc.poll() is None
