from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Installed as its own app so that Django registers its models, admin and Celery tasks; the
    models keep the app label `commitments` (see models.py)."""

    name = "commitments.reminders"
    label = "commitments_reminders"
