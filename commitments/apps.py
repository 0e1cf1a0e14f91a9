from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = "Commitments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Celery's autodiscovery looks at commitments.tasks only; the events' tasks live in their
        # own part of the product.
        from .events import tasks  # noqa: F401
