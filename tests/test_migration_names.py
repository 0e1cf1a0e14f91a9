"""Migrations renamed to say what they hold still count as applied where they ran under the names
of their day: such a database has nothing to apply and nothing to redo."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

RENAMED = {
    "0002_commitment_list_indexes": "0002_issue_perf_list_indexes",
    "0003_events_ingestion_translations_parties": "0003_second_release",
}


@pytest.mark.django_db
def test_a_database_that_applied_the_old_names_has_no_migration_to_apply():
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="commitments", name__in=RENAMED).delete()
    for old_name in RENAMED.values():
        recorder.record_applied("commitments", old_name)

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())

    # Nothing to redo: only migrations written after the renamed ones are left to apply.
    last_renamed = max(RENAMED)
    assert [m.name for m, _backwards in plan if m.name <= last_renamed] == []
    applied = executor.loader.applied_migrations
    assert all(("commitments", new_name) in applied for new_name in RENAMED)
