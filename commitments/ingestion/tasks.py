"""The analysis as a Celery task: started after the source's transaction commits."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="commitments.ingestion.analyse_source", acks_late=True)
def analyse_source(source_id: int) -> int:
    from ..models import Source
    from .analysis import analyse

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    return len(analyse(source))
