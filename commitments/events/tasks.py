"""Celery tasks for webhooks: thin wrappers that own only their scheduling.

`dispatch_events` runs from beat every EVENTS_DISPATCH_INTERVAL seconds and from the kick each
committed change sends; it enqueues one `deliver_webhooks` per endpoint with work. Duplicates are
harmless: the endpoint's claim lets one run at a time and the others return at once.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import delivery

_RUN_LIMIT = settings.EVENTS_DELIVERY_SLICE + 2 * (
    settings.EVENTS_WEBHOOK_CONNECT_TIMEOUT + settings.EVENTS_WEBHOOK_READ_TIMEOUT
)


@shared_task(
    name="commitments.events.dispatch_events", acks_late=True, soft_time_limit=50, time_limit=60
)
def dispatch_events() -> int:
    endpoint_ids = delivery.due_endpoints()
    for endpoint_id in endpoint_ids:
        deliver_webhooks.delay(endpoint_id)
    return len(endpoint_ids)


@shared_task(
    name="commitments.events.deliver_webhooks",
    acks_late=True,
    soft_time_limit=_RUN_LIMIT,
    time_limit=_RUN_LIMIT + 5,
)
def deliver_webhooks(endpoint_id: int) -> str:
    run = delivery.deliver(endpoint_id)
    if run.result is delivery.Result.MORE:
        deliver_webhooks.delay(endpoint_id)
    elif run.result is delivery.Result.RETRY:
        deliver_webhooks.apply_async((endpoint_id,), countdown=run.retry_in)
    return f"{run.result.value}: {run.delivered} delivered"
