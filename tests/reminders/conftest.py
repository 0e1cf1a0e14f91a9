import datetime as dt

import pytest
from django.core import mail

from commitments.rules import Status
from tests.factories import CommitmentFactory, UserFactory

from .backends import FlakyBackend

# 09:00 in Almaty (UTC+5) on 22 November 2026: the reminder day is 2026-11-22.
NOW = dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)
STALE = NOW - dt.timedelta(days=40)
FRESH = NOW - dt.timedelta(days=3)
PERIOD = "2026-11-22"  # the reminder period NOW falls in


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://tracker.example.org"
    settings.COMMITMENT_STALE_DAYS = 30
    settings.COMMITMENT_STALE_DAYS_BY_STATUS = {}
    settings.REMINDER_TIMEZONE = "Asia/Almaty"
    settings.REMINDER_PERIOD_DAYS = 1
    mail.outbox = []


@pytest.fixture
def flaky(settings):
    """Email through FlakyBackend: set `flaky.failures_left` to make the next sends fail."""
    settings.EMAIL_BACKEND = "tests.reminders.backends.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures_left = 0


def stale_commitment(*, responsible=(), reviewed=STALE, **kwargs):
    commitment = CommitmentFactory(last_reviewed_at=reviewed, **kwargs)
    if responsible:
        commitment.responsible_users.set(responsible)
    return commitment


@pytest.fixture
def officer(db):
    return UserFactory(username="aigerim", email="aigerim@example.org", first_name="Aigerim")


@pytest.fixture
def two_officers_with_stale_work(db, kz):
    """Two officers: aigerim has 2 stale commitments (and one fresh, one final), bakyt has 1."""
    aigerim = UserFactory(username="aigerim", email="aigerim@example.org")
    bakyt = UserFactory(username="bakyt", email="bakyt@example.org")
    stale_commitment(responsible=[aigerim], title="Raise trade to $2 billion")
    stale_commitment(responsible=[aigerim, bakyt], title="Build logistics complex")
    stale_commitment(responsible=[aigerim], reviewed=FRESH, title="Fresh one")
    stale_commitment(responsible=[aigerim], status=Status.COMPLETED, title="Done one")
    return aigerim, bakyt


def deliver(recipient_id, period, commitment_ids, *, now=NOW, due_ids=()):
    """One digest through the send task's path (`delivery.deliver_digest`)."""
    from commitments.reminders.delivery import deliver_digest
    from commitments.reminders.planning import Digest

    return deliver_digest(
        Digest(recipient_id, period, tuple(commitment_ids), tuple(due_ids)), now=now
    )
