"""The benchmark (`manage.py benchmark`, README "Performance")."""

from tracker.env import boolean

# Mounts the benchmark's reference views (a plain DRF list and a bare .values() list) under
# /bench/; only `manage.py benchmark` turns it on, for the gunicorn it starts.
BENCHMARK_REFERENCE_VIEWS = boolean("BENCHMARK_REFERENCE_VIEWS", default=False)
