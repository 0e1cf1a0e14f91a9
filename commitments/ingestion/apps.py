from django.apps import AppConfig


class IngestionConfig(AppConfig):
    """Installed as its own app so that Django registers its models, admin and Celery tasks; the
    models keep the app label `commitments` (see models.py)."""

    name = "commitments.ingestion"
    label = "commitments_ingestion"
