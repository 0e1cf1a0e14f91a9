"""The large briefing's build: thin, takes the request's id; its failure is recorded on the
request (staff see it in admin), so it is not retried: the same inputs would fail again."""

from __future__ import annotations

from celery import shared_task

from .services import run_request


@shared_task(name="commitments.briefing.build")
def build_briefing(request_id: int) -> str:
    request = run_request(request_id)
    return request.state
