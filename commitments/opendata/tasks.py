"""Celery task of the open data: rebuild the published package (thin; `packages` does the work)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import packages


@shared_task(
    name="commitments.opendata.rebuild",
    acks_late=True,
    soft_time_limit=settings.OPENDATA_BUILD_TIME_LIMIT - 10,
    time_limit=settings.OPENDATA_BUILD_TIME_LIMIT,
)
def rebuild(force: bool = False) -> str:
    return packages.rebuild(force=force)
