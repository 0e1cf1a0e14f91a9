"""The performance lab (`perf/`, README "Performance"): whether it is installed, and its views."""

from tracker.env import boolean

from .base import INSTALLED_APPS, PRODUCTION

# The lab (data generator, benchmark, `measure_*` commands, reference views) is a development and
# CI tool: installed unless DJANGO_ENV=production, and switchable either way. The benchmark turns
# it on for the production-settings gunicorn it starts. (`tracker.settings` star-imports this module
# after `base`, so this list is the one Django reads.)
TRACKER_PERF_LAB = boolean("TRACKER_PERF_LAB", default=not PRODUCTION)
if TRACKER_PERF_LAB:
    INSTALLED_APPS = [*INSTALLED_APPS, "perf"]

# Mounts the benchmark's reference views (a plain DRF list and a bare .values() list) under
# /bench/ when the lab is installed; only `manage.py benchmark` turns it on, for its gunicorn.
BENCHMARK_REFERENCE_VIEWS = boolean("BENCHMARK_REFERENCE_VIEWS", default=False)
