"""The performance lab: the data generator, the benchmark's reference views and runner, and the
measurements of the API, the reminder job and the article analysis, with their commands.

It sits above the product and is not part of it: it imports the product (models, the API's token
check, the reminder job, the analysis) and nothing in `commitments/` imports it. Development and CI
install it (`TRACKER_PERF_LAB`, on unless DJANGO_ENV=production); production runs without it.
"""
