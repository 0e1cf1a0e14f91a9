"""Reads of the outbox: the events a reader may see, in commit order, and their JSON form.

Commit order on PostgreSQL. Event ids come from a sequence when the row is inserted, not when its
transaction commits, so two writers can commit out of id order: a reader that had passed id 100
would never see id 99 committing a moment later. Ordering by the writing transaction's id (`xid`)
alone has the same flaw (a transaction that began earlier may commit later). What is safe is to
serve only events whose transaction is older than the oldest transaction still running, the
snapshot's `xmin`: every such transaction has ended (committed or rolled back), and every
transaction still to commit has an xid at or above that horizon, so it sorts after everything
already served when the feed is ordered by (xid, id). A reader therefore sees each event exactly
once and never behind its cursor; the price is that an event waits until every transaction that
began before it has ended (milliseconds here; a long-running transaction holds the feed back).

On SQLite a writer holds the database's write lock from its first write to its commit, so ids are
taken in commit order, `xid` is 0 everywhere, and (xid, id) is simply id order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Event

VISIBLE_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


def visible_events() -> Any:
    """Events of committed transactions that no running transaction can still precede."""
    events = Event.objects.all()
    if connection.vendor == "postgresql":
        events = events.filter(xid__lt=RawSQL(VISIBLE_HORIZON, ()))  # noqa: S611 (constant)
    return events.order_by("xid", "id")


def filtered(events, *, types: Iterable[str] = (), countries: Iterable[str] = ()):
    types, countries = list(types), list(countries)
    if types:
        events = events.filter(type__in=types)
    if countries:
        involving = Q()
        for code in countries:
            involving |= Q(countries__contains=f",{code},")
        events = events.filter(involving)
    return events


def event_payload(event: Event) -> dict[str, Any]:
    """The JSON of an event, the same in the feed and in a webhook's body."""
    if event.actor_is_system:
        actor = {"type": "system", "name": event.actor_name}
    else:
        actor = {"type": "user", "id": event.actor_user_id, "username": event.actor_name}
    return {
        "id": str(event.uuid),
        "type": event.type,
        # In the project's time zone (+05:00), as every other time the API gives.
        "occurred_at": timezone.localtime(event.occurred_at).isoformat(),
        "commitment": {
            "id": event.commitment_id,
            "slug": event.commitment_slug,
            "owner_country": event.owner_country,
            "partner_countries": event.partner_countries,
            "version": event.version,
        },
        "actor": actor,
        "data": event.data,
    }


def owned(rows: QuerySet, user, *, through: str = "owner") -> QuerySet:
    """Webhook endpoints (or their log, `through="endpoint__owner"`) this user may act on: their
    own; a superuser's, every one. The API and the admin scope alike."""
    return rows if user.is_superuser else rows.filter(**{through: user})
