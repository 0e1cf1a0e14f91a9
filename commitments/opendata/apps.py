from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Installed as its own app so that Django registers its Celery task and its listener to the
    record's changes (the published package is rebuilt when the record changes)."""

    name = "commitments.opendata"
    label = "commitments_opendata"

    def ready(self) -> None:
        from commitments.changes import commitment_changed

        from . import packages

        # Strong reference and a uid: one receiver, however often ready() runs (tests).
        commitment_changed.connect(
            packages.on_record_changed, dispatch_uid="opendata-rebuild", weak=False
        )
