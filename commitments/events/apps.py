from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Installed as its own app so that Django registers its models, admin and Celery tasks; the
    models keep the app label `commitments` (see models.py)."""

    name = "commitments.events"
    label = "commitments_events"

    def ready(self) -> None:
        from commitments.changes import commitment_changed

        from . import outbox

        # Strong reference and a uid: one receiver, however often ready() runs (tests).
        commitment_changed.connect(
            outbox.on_commitment_changed, dispatch_uid="events-outbox", weak=False
        )
