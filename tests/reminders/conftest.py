import pytest
from django.core import mail

from commitments.rules import Status
from tests.support.factories import UserFactory
from tests.support.mail_backends import FlakyBackend
from tests.support.reminders import FRESH, stale_commitment


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
    settings.EMAIL_BACKEND = "tests.support.mail_backends.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures_left = 0
    FlakyBackend.error = None


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
