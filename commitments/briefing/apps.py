from django.apps import AppConfig


class BriefingConfig(AppConfig):
    """Installed as its own app so that Django registers its model, admin, template and Celery
    task; the model keeps the app label `commitments` (see models.py)."""

    name = "commitments.briefing"
    label = "commitments_briefing"
