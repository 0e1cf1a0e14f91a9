"""Planner statistics after a bulk load, for the benchmark's data and the reminder measurement."""

from __future__ import annotations

from django.db import connection


def analyze(*models) -> None:
    """ANALYZE the models' tables on PostgreSQL (elsewhere nothing), so that the first queries
    after a bulk load are planned as they would be on a live database, where autovacuum keeps
    the statistics. Inside a transaction it counts the transaction's own new rows too."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def vacuum(*models) -> None:
    """VACUUM the models' tables on PostgreSQL, outside a transaction (elsewhere nothing).

    For a measurement that rolls its rows back: they stay behind as dead rows until a vacuum,
    and where autovacuum is off or late each run would otherwise be slower than the last.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
