"""Production serves only after collectstatic: without the manifest the server refuses to start
(it used to start and answer every HTML page with a 500)."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings

from perf.runner import free_port, gunicorn_command


def production_env(var_dir) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_"))
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="test-production-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        TRACKER_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
    )
    return env


def gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        gunicorn_command(port, 1, "--graceful-timeout", "2"),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.communicate(timeout=10)[0]


def test_production_server_refuses_to_start_without_the_static_manifest(tmp_path):
    proc = gunicorn(free_port(), production_env(tmp_path))
    with contextlib.suppress(subprocess.TimeoutExpired):  # still serving: what failed before
        proc.wait(timeout=30)
    output = stop(proc)
    assert proc.returncode not in (None, 0), output
    assert "staticfiles.json is missing: run `python manage.py collectstatic" in output


def test_production_serves_pages_after_collectstatic(tmp_path):
    env = production_env(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    port = free_port()
    proc = gunicorn(port, env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/admin/login/", timeout=5
                ) as response:
                    status, body = response.status, response.read().decode()
                break
            except urllib.error.HTTPError as error:
                status, body = error.code, ""
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, stop(proc)
                time.sleep(0.3)
    finally:
        stop(proc)
    assert status == 200
    # The manifest's hashed name, served by whitenoise with a far-future cache header.
    assert 'href="/static/admin/css/base.' in body
    assert 'href="/static/admin/css/base.css"' not in body
