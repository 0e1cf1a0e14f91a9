from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Installed as its own app so that Django registers its models, admin and Celery tasks; the
    models keep the app label `commitments` (see models.py)."""

    name = "commitments.events"
    label = "commitments_events"
