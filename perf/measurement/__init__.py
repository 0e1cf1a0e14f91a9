"""One module per thing measured, each taking the product's own code path and reporting figures:

- `api`: the endpoints the benchmark drives and the API's queries per request against the budget;
- `reminders`: the reminder job at scale (`manage.py measure_reminders`);
- `ingestion`: the analysis of one long article (`manage.py measure_ingestion`);
- `command`: the shared frame of the `measure_*` commands (text or `--json`).
"""
