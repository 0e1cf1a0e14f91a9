"""The reminder tests' moment and their stale commitments."""

import datetime as dt

from tests.support.factories import CommitmentFactory

# 09:00 in Almaty (UTC+5) on 22 November 2026: the reminder day is 2026-11-22.
NOW = dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)
STALE = NOW - dt.timedelta(days=40)
FRESH = NOW - dt.timedelta(days=3)
PERIOD = "2026-11-22"  # the reminder period NOW falls in


def stale_commitment(*, responsible=(), reviewed=STALE, **kwargs):
    commitment = CommitmentFactory(last_reviewed_at=reviewed, **kwargs)
    if responsible:
        commitment.responsible_users.set(responsible)
    return commitment


def deliver(recipient_id, period, commitment_ids, *, now=NOW, due_ids=()):
    """One digest through the send task's path (`delivery.deliver_digest`)."""
    from commitments.reminders.delivery import deliver_digest
    from commitments.reminders.planning import Digest

    return deliver_digest(
        Digest(recipient_id, period, tuple(commitment_ids), tuple(due_ids)), now=now
    )
