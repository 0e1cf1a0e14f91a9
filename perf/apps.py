from django.apps import AppConfig


class PerfConfig(AppConfig):
    # No models, so no migrations and nothing in the admin: installing or removing the lab never
    # touches the schema.
    name = "perf"
