import json
from io import StringIO

import pytest
from django.core.management import call_command

from commitments.models import Commitment
from commitments.reminders.models import Reminder
from perf.generate import generate
from perf.measurement.reminders import measure_existing_data

pytestmark = pytest.mark.django_db


def test_the_job_is_measured_over_generated_data_and_rolled_back():
    generate(commitments=60, stale_share=1.0, users=12, sources=2)

    m = measure_existing_data(batch_size=25, trace_memory=False)

    assert m.commitments == 60 and m.memory_measure == "rss"
    # Every recipient with a stale commitment gets one digest; coordinators take the ownerless.
    assert m.digests == m.emails_sent > 0
    assert m.wall_seconds > 0 and m.peak_memory_bytes >= 0
    assert not Reminder.objects.exists()
    assert Commitment.objects.count() == 60


def test_queries_grow_with_batches_not_with_stale_commitments():
    generate(commitments=40, stale_share=1.0, users=8, sources=1, seed=1)
    small = measure_existing_data(batch_size=10, trace_memory=False)
    generate(commitments=40, stale_share=1.0, users=0, sources=1, seed=2)  # same recipients

    large = measure_existing_data(batch_size=10, trace_memory=False)

    assert large.commitments == 2 * small.commitments
    # Reading 40 more commitments costs their 4 batches (2 queries each); digests cost the same.
    assert large.queries - small.queries == 2 * 40 // 10 + 8 * (large.digests - small.digests)


def test_measure_reminders_existing_prints_json_without_creating_anything():
    generate(commitments=10, stale_share=1.0, users=3, sources=1)
    out = StringIO()

    call_command("measure_reminders", "--existing", "--rss", "--json", stdout=out)

    figures = json.loads(out.getvalue())
    assert figures["commitments"] == 10 and figures["memory_measure"] == "rss"
    assert Commitment.objects.count() == 10 and not Reminder.objects.exists()
