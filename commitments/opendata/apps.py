from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Installed as its own app so that Django registers its Celery tasks and its listener to the
    record's changes (the package is rebuilt when the record changes)."""

    name = "commitments.opendata"
    label = "commitments_opendata"
