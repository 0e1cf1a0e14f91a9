from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Installed as its own app so that Django registers its Celery task and its listener to the
    record's changes (the published package is rebuilt when the record changes)."""

    name = "commitments.opendata"
    label = "commitments_opendata"

    def ready(self) -> None:
        from commitments.changes import commitment_changed

        # The services send the task by its name; importing it here registers it in every
        # process (the web's too), so a sender finds its options and eager mode runs it.
        from . import packages, tasks  # noqa: F401

        # Strong reference and a uid: one receiver, however often ready() runs (tests).
        commitment_changed.connect(
            packages.on_record_changed, dispatch_uid="opendata-rebuild", weak=False
        )
