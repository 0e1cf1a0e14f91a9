"""The embedded default leaves the working directory alone, and `make run` installs only what the
app needs to run."""

import os
import subprocess
import sys

from django.conf import settings

PING = """
import django
django.setup()
from tracker.celery import app
app.control.ping(timeout=0.2)
"""


def test_celery_filesystem_transport_keeps_its_control_folder_under_the_var_dir(tmp_path):
    cwd, var = tmp_path / "cwd", tmp_path / "var"
    cwd.mkdir()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        PYTHONPATH=str(settings.BASE_DIR),
        TRACKER_VAR_DIR=str(var),
    )
    subprocess.run(
        [sys.executable, "-c", PING], cwd=cwd, env=env, check=True, timeout=60, capture_output=True
    )

    assert list(cwd.iterdir()) == []  # kombu used to write ./control/ here
    assert (var / "celery" / "control" / "reply.celery.pidbox.exchange").is_file()


def test_make_run_does_not_install_the_test_extras():
    planned = subprocess.run(
        ["make", "--dry-run", "--always-make", "run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    installs = [line for line in planned.splitlines() if "pip install" in line]
    assert any(line.endswith("pip install --quiet -e .") for line in installs), planned
    assert not any("[dev]" in line for line in installs), installs
