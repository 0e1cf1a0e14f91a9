"""Settings from the environment: safe local defaults, a production mode that refuses to start
without its secrets and passes `check --deploy`, and typed values that refuse typos."""

import os
import subprocess
import sys

import pytest
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


def test_production_mode_refuses_to_start_without_a_secret_key_in_one_line():
    result = manage("check", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "manage.py: configuration error: DJANGO_SECRET_KEY must be set "
        "(DJANGO_ENV=production has no default)"
    ]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("REMINDER_TIMEZONE", "Asia/Almata", "must be an IANA time zone"),
        ("TIME_ZONE", "Mars/Olympus_Mons", "must be an IANA time zone"),
        ("COMMITMENT_STALE_DAYS_BY_STATUS", "anounced=60,stalled=14", "unknown status 'anounced'"),
        ("COMMITMENT_STALE_DAYS_BY_STATUS", "stalled=0", "expected status=days pairs"),
        ("REMINDER_HOUR", "25", "must be an integer from 0 to 23"),
        ("REMINDER_MINUTE", "8am", "must be an integer"),
        ("DJANGO_DEBUG", "ture", "must be true or false"),
        ("API_THROTTLE_USER", "lots", "must be requests/period"),
        ("CACHE_URL", "memcahce://127.0.0.1:11211", "is not a usable URL"),
        ("DATABASE_URL", "postgress://127.0.0.1/x", "is not a usable URL"),
        ("LOG_LEVEL", "VERBOSE", "must be one of"),
    ],
)
def test_a_bad_value_stops_start_up_in_one_line_naming_the_variable(variable, value, reason):
    result = manage("check", **{variable: value})
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"manage.py: configuration error: {variable}")
    assert reason in line


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
