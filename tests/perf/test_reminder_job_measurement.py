"""The measurement kept in the repo (`manage.py measure_reminders`) runs and reports honestly."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from commitments.models import Commitment
from commitments.reminders.models import Reminder
from perf.measurement.reminders import measure_reminder_job

pytestmark = pytest.mark.django_db


def test_measurement_sends_one_digest_per_recipient_and_rolls_its_data_back():
    small = measure_reminder_job(commitments=40, recipients=8, batch_size=10)
    assert (small.digests, small.emails_sent) == (8, 8)
    assert small.peak_memory_bytes > 0 and small.wall_seconds > 0
    assert not Commitment.objects.exists() and not Reminder.objects.exists()
    # Twice the commitments for the same recipients: only the planning batches add queries.
    large = measure_reminder_job(commitments=80, recipients=8, batch_size=10)
    assert large.queries - small.queries == 2 * (80 - 40) // 10


def test_measure_reminders_command_prints_the_three_figures():
    out = StringIO()
    call_command("measure_reminders", "--commitments", "20", "--recipients", "4", stdout=out)
    text = out.getvalue()
    assert "20 stale commitments across 4 recipients" in text
    for figure in ("wall time:", "queries:", "peak memory:"):
        assert figure in text


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_measurement_on_postgresql_plans_with_statistics_and_vacuums_its_dead_rows():
    """Where autovacuum is off or late, the rows a run rolled back would slow every later run;
    and without statistics for its own new rows the planning queries were planned for empty
    tables. Both are the measurement's own doing, so it cleans up after itself."""
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and VACUUM statistics are PostgreSQL's; the services tier runs this")

    def counts() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT analyze_count, vacuum_count FROM pg_stat_user_tables WHERE relname = %s",
                [Commitment._meta.db_table],
            )
            return cursor.fetchone()

    analyzed, vacuumed = counts()
    result = measure_reminder_job(commitments=30, recipients=3, batch_size=10)
    assert result.digests == 3
    assert not Commitment.objects.exists()
    assert counts() == (analyzed + 1, vacuumed + 1)
