"""On PostgreSQL, ids taken before commit do not decide the feed: commit order does."""

import threading

import pytest
from django.db import connection, connections, transaction

from commitments import services
from commitments.actors import SystemActor
from commitments.events.selectors import visible_events
from tests.support.factories import CommitmentFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def update(commitment, text):
    services.commitment_update(
        commitment=commitment, actor=SystemActor.INGESTION, data={"description": text}
    )


def test_an_event_committed_behind_a_running_transaction_waits_and_never_lands_behind_a_cursor(
    kz,
):
    assert connection.vendor == "postgresql", "run this tier with DATABASE_URL on PostgreSQL"
    slow, fast = CommitmentFactory(slug="slow"), CommitmentFactory(slug="fast")
    began, fast_done, finish = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def slow_writer():
        try:
            with transaction.atomic():
                # Takes its transaction id now (the call assigns one), writes its event after
                # `fast` has committed.
                connection.cursor().execute("SELECT pg_current_xact_id()")
                began.set()
                assert finish.wait(20)
                update(slow, "slow")
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert began.wait(20)
    update(fast, "fast")  # commits first, with the lower event id
    fast_done.set()

    # `fast` is committed but a transaction that began before it is still running: not served.
    assert list(visible_events()) == []
    finish.set()
    thread.join(20)
    assert not errors, errors

    served = list(visible_events())
    assert [e.commitment_slug for e in served] == ["slow", "fast"]
    assert served[0].id > served[1].id  # ids say the opposite of the order served
