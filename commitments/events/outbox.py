"""The outbox writer: one Event row per committed change, in the change's own transaction.

The services announce each change inside their `transaction.atomic()` block
(`commitments.changes`); `record()` hears it there (connected by the events app), so the row
commits or rolls back with the change: a rolled-back change leaves no event and a committed one
always has its event, whether or not the broker is up. After commit, a kick asks Celery to
dispatch at once; if the broker is down the kick is dropped and the beat job
(EVENTS_DISPATCH_INTERVAL) finds the rows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from .models import Event, EventType

if TYPE_CHECKING:
    from commitments.actors import Actor
    from commitments.models import Commitment

logger = logging.getLogger(__name__)

# The 64-bit, epoch-extended id of the writing transaction (the same for all its savepoints).
CURRENT_XID = "pg_current_xact_id()::text::bigint"
KICK_TIMEOUT = 2  # seconds
KICK_EVERY = 0.5  # seconds


def _xid():
    return RawSQL(CURRENT_XID, ()) if connection.vendor == "postgresql" else 0  # noqa: S611 (constant)


def countries_key(owner: str, partners: Iterable[str]) -> str:
    return "," + ",".join(sorted({owner, *partners})) + ","


def record(
    type: EventType,
    commitment: Commitment,
    actor: Actor,
    *,
    partners: Iterable[str] | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Write the event of a change the caller is making in the current transaction.

    `partners` are the commitment's partner codes after the change; left out, they are read
    (one query). Refuses to run outside a transaction: an event must share its change's fate.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.record() must run inside the change's transaction.")
    partner_codes = sorted(
        commitment.partner_countries.values_list("code", flat=True)
        if partners is None
        else partners
    )
    owner = commitment.owner_country_id
    user = actor.user
    event = Event.objects.create(
        xid=_xid(),
        type=type,
        commitment_id=commitment.pk,
        commitment_slug=commitment.slug,
        owner_country=owner,
        partner_countries=partner_codes,
        countries=countries_key(owner, partner_codes),
        version=commitment.version,
        actor_user_id=user.pk if user is not None else None,
        actor_name=str(actor),
        actor_is_system=actor.is_system,
        data=data or {},
    )
    if settings.EVENTS_KICK_ON_COMMIT:
        transaction.on_commit(kick_dispatch)
    return event


def on_commitment_changed(sender, *, change, commitment, actor, partners, data, **kwargs) -> None:
    """The receiver of `changes.commitment_changed`: the change's event, in its transaction."""
    record(change, commitment, actor, partners=partners, data=data)


_last_kick = -KICK_EVERY


def kick_dispatch() -> None:
    """Ask a worker to dispatch now. Best effort: never delays or fails the request.

    At most one kick per KICK_EVERY seconds per process: a burst of writes would otherwise queue
    a dispatch per write ahead of the deliveries themselves. A delivery run picks up events that
    commit while it runs, and beat picks up the rest.
    """
    global _last_kick
    from .tasks import dispatch_events

    now = time.monotonic()
    if now - _last_kick < KICK_EVERY:
        return
    _last_kick = now
    try:
        # Celery's pooled connection would retry a dead broker forever, holding up the request
        # that committed: one connection attempt, bounded in time, then give up.
        with dispatch_events.app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=KICK_TIMEOUT
            )
            dispatch_events.apply_async(connection=connection, retry=False, ignore_result=True)
    except Exception as exc:  # the broker is down or unreachable: the beat job will dispatch
        logger.warning("Could not kick the event dispatcher (%s); the beat job will.", exc)
