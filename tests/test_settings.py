"""Settings from the environment: safe local defaults, a production mode that refuses to start
without its secrets and passes `check --deploy`, and typed values that refuse typos."""

import os
import subprocess
import sys

from django.conf import settings

BASE_ENV = {
    k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_"))
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-1234567890",
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_mistyped_threshold_stops_start_up():
    result = manage("check", COMMITMENT_STALE_DAYS="-3")
    assert result.returncode != 0
    assert "COMMITMENT_STALE_DAYS must be a positive integer" in result.stderr


def test_local_defaults_need_no_environment():
    result = manage("check")
    assert result.returncode == 0, result.stderr
    assert settings.DEBUG is False
