"""The embedded default, for real: `celery -A tracker worker --beat` (as `make run` starts it) on
kombu's filesystem:// transport, SQLite and the file email backend, with no server anywhere."""

import sqlite3
import subprocess
import sys

from tests.support.workers import ROOT, celery, clean_env, start_worker, stop, wait_for

SETUP = """
import datetime as dt
from django.contrib.auth.models import User
from django.utils import timezone
from commitments.models import Commitment, Country
kz = Country.objects.create(code="KZ", name="Kazakhstan")
user = User.objects.create_user("aigerim", "aigerim@example.org", "x")
c = Commitment.objects.create(
    slug="trade", title="Raise trade to two billion", owner_country=kz, category="trade",
    last_reviewed_at=timezone.now() - dt.timedelta(days=45),
)
c.responsible_users.add(user)
"""


def manage(env, *args, timeout=120):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout,
        capture_output=True,
    )  # fmt: skip


def test_worker_on_the_filesystem_transport_writes_the_digest_to_var_mail(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = clean_env(TRACKER_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{database}")
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP)

    worker = start_worker(env, "embedded", tmp_path / "worker.log", "--beat")
    try:
        subprocess.run(
            celery("call", "commitments.reminders.send_stale_reminders"),
            cwd=ROOT, env=env, check=True, timeout=60, capture_output=True,
        )  # fmt: skip
        mail_dir = tmp_path / "mail"
        files = wait_for(
            # The file is created before it is written: wait for its content.
            lambda: mail_dir.is_dir() and [f for f in mail_dir.glob("*.log") if f.stat().st_size],
            timeout=90,
            what="the digest file in var/mail/",
            logs=[tmp_path / "worker.log"],
        )
        text = files[0].read_text()
        assert "Subject: 1 stale commitment needs your review" in text
        assert "To: aigerim@example.org" in text
        assert "Raise trade to two billion" in text
        with sqlite3.connect(database) as db:
            rows = db.execute(
                "SELECT delivery_status, attempts FROM commitments_reminder"
            ).fetchall()
        assert rows == [("sent", 1)]
        assert (tmp_path / "celery" / "beat-schedule").exists() or any(
            (tmp_path / "celery").glob("beat-schedule*")
        )
    finally:
        stop(worker)
    assert len(list((tmp_path / "mail").glob("*.log"))) == 1
