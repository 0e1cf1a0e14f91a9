from django.apps import AppConfig


class BriefingConfig(AppConfig):
    """Installed as its own app so that Django registers its model, admin, template and Celery
    task; the model keeps the app label `commitments` (see models.py)."""

    name = "commitments.briefing"
    label = "commitments_briefing"

    def ready(self) -> None:
        # The services send the task by its name; importing it here registers it in every
        # process (the web's too), so a sender finds its options and eager mode runs it.
        from . import tasks  # noqa: F401
