"""Issue 26, item 6: the lost-digest window, on real PostgreSQL through a TCP proxy and a real
SMTP conversation (services tier).

The hand-off write (the row marked `end_of_data` just before the final ".") commits, but its
answer never reaches the worker: the worker drops the SMTP connection without the ".", so the
server discards the message, and the worker knows it. Before, the row stayed `pending` at
`end_of_data` and every later attempt took it for handed to the server: that digest was lost.
Now the worker puts the row back (within REMINDER_DB_PATIENCE), or, when the database stays away
longer, its retry takes the row over at once with the token it abandoned.

Every server listens on 127.0.0.1, every wait is bounded, and the proxy and the SMTP server are
stopped at teardown.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from commitments.reminders import delivery, planning
from commitments.reminders.models import Reminder
from commitments.reminders.smtp import PhasedEmailBackend
from tests.support.factories import CommitmentFactory, UserFactory
from tests.support.faults import ScriptedSMTP, TcpProxy

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
Status = Reminder.DeliveryStatus
Phase = Reminder.Phase
DIGESTS = 5


@pytest.fixture
def rig(settings):
    """Django's connection through a proxy in front of the test database, email to a scripted
    SMTP server; both stopped, and the connection pointed back, at teardown."""
    assert connection.vendor == "postgresql", "run this tier with DATABASE_URL=postgres://..."
    db = connection.settings_dict
    original = (db["HOST"], db["PORT"])
    proxy = TcpProxy(int(db["PORT"] or 5432), db["HOST"] or "127.0.0.1")
    sink = ScriptedSMTP()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.REMINDER_CLAIM_LEASE = 600  # as in production: a dead claim's lease is long
    settings.REMINDER_MIN_GAP = 0
    connection.close()
    db["HOST"], db["PORT"] = "127.0.0.1", proxy.port
    yield proxy, sink
    proxy.restore()
    connection.close()
    db["HOST"], db["PORT"] = original
    sink.stop()
    proxy.close()


def stale_recipient(i: int):
    user = UserFactory(username=f"officer{i}", email=f"officer{i}@example.org")
    commitment = CommitmentFactory(
        slug=f"lost-{i}", last_reviewed_at=timezone.now() - dt.timedelta(days=45)
    )
    commitment.responsible_users.add(user)
    return user, commitment


def digest_for(user, commitment, now):
    return planning.Digest(user.pk, planning.period_key(now), (commitment.pk,))


@pytest.fixture
def lose_the_hand_off_answer(monkeypatch, rig):
    """Just before the final ".", the hand-off UPDATE commits and its answer is lost with the
    connection; the database comes back `outage` seconds later (a flap)."""
    proxy, _sink = rig
    plan = {"outage": 1.0, "left": 1}
    original = PhasedEmailBackend.start_message

    def start_message(self, hand_off):
        def losing_hand_off():
            if plan["left"]:
                plan["left"] -= 1
                proxy.lose_next_answer()
                threading.Timer(plan["outage"], proxy.restore).start()
            return hand_off()

        return original(self, losing_hand_off)

    monkeypatch.setattr(PhasedEmailBackend, "start_message", start_message)
    return plan


def test_a_worker_that_never_wrote_the_dot_puts_its_row_back(
    rig, lose_the_hand_off_answer, settings
):
    _proxy, sink = rig
    settings.REMINDER_DB_PATIENCE = 8  # longer than the 1 s flap
    now = timezone.now()
    lost_before, sent_after = 0, 0
    for i in range(DIGESTS):
        user, commitment = stale_recipient(i)
        lose_the_hand_off_answer["left"] = 1
        first = delivery.deliver_digests([digest_for(user, commitment, now)], now=now)[user.pk]
        assert first.outcome is delivery.Outcome.FAILED, first
        row = Reminder.objects.get(recipient=user)
        assert sink.delivered[user.email] == 0  # the server never got the "."
        # Put back: not left `pending` at `end_of_data`, where it would never be sent.
        assert (row.delivery_status, row.phase) == (Status.FAILED, Phase.DATA)
        lost_before += row.phase == Phase.END_OF_DATA
        again = delivery.deliver_digests([digest_for(user, commitment, now)], now=now)[user.pk]
        assert again.outcome is delivery.Outcome.SENT
        sent_after += 1
    assert (lost_before, sent_after) == (0, DIGESTS)
    assert all(count == 1 for count in sink.delivered.values())
    assert sorted(sink.delivered) == [f"officer{i}@example.org" for i in range(DIGESTS)]
    assert Reminder.objects.filter(delivery_status=Status.SENT).count() == DIGESTS


def test_an_outage_longer_than_the_patience_is_taken_over_at_once(
    rig, lose_the_hand_off_answer, settings
):
    _proxy, sink = rig
    settings.REMINDER_DB_PATIENCE = 1
    lose_the_hand_off_answer["outage"] = 3.0  # outlasts the patience: the put-back fails too
    now = timezone.now()
    user, commitment = stale_recipient(0)

    with pytest.raises(delivery.ClaimAbandoned) as abandoned:
        delivery.deliver_digests([digest_for(user, commitment, now)], now=now)
    assert isinstance(abandoned.value, OperationalError)  # the task retries it
    assert sink.delivered[user.email] == 0

    wait = threading.Event()
    for _ in range(50):  # the database is back within the 3 s outage (at most 5 s here)
        try:
            Reminder.objects.exists()
            break
        except OperationalError:
            connection.close()
            wait.wait(0.1)
    row = Reminder.objects.get(recipient=user)
    assert (row.delivery_status, row.phase) == (Status.PENDING, Phase.END_OF_DATA)

    # Another attempt that does not know the token must leave it alone (for the lease) ...
    held = delivery.deliver_digests([digest_for(user, commitment, now)], now=now)[user.pk]
    assert held.outcome is delivery.Outcome.IN_FLIGHT
    # ... the retry that abandoned it takes it over at once, without the 600 s lease.
    retried = delivery.deliver_digest(
        digest_for(user, commitment, now), now=now, abandoned=[abandoned.value.token]
    )
    assert retried.outcome is delivery.Outcome.SENT
    assert sink.delivered[user.email] == 1
    assert Reminder.objects.get(recipient=user).delivery_status == Status.SENT
