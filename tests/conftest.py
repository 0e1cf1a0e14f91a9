import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.support.factories import CountryFactory, UserFactory


@pytest.fixture
def kz(db):
    return CountryFactory(code="KZ")


@pytest.fixture
def kg(db):
    return CountryFactory(code="KG")


@pytest.fixture
def reader(db):
    """A user with no country and no staff status: through an API token, reads everything and
    changes nothing."""
    return UserFactory(username="reader", is_staff=False)


@pytest.fixture
def kz_officer(kz):
    """A staff member of Kazakhstan, without the secretariat group."""
    return UserFactory(username="kz-officer", countries=["KZ"])


@pytest.fixture
def kg_officer(kg):
    return UserFactory(username="kg-officer", countries=["KG"])


@pytest.fixture
def seeded(db):
    """The real seed record loaded: 21 commitments, 9 observations with conflicting figures.

    `db` is transactional when the test also asks for `live_server` or `transactional_db`
    (pytest-django decides from the test's fixtures), so the browser tests' live server thread,
    on a connection of its own, sees the record too.
    """
    call_command("load_seeds", verbosity=0)


@pytest.fixture
def broker_url():
    """The real-component tiers' Redis broker, emptied before and after the test."""
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    assert url.startswith("redis://"), "run this tier with CELERY_BROKER_URL=redis://..."
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_event_kicks(settings):
    # A committed change asks the broker to dispatch its event; the default tier has no worker
    # to read those messages. The real-worker tests turn the kick back on.
    settings.EVENTS_KICK_ON_COMMIT = False


@pytest.fixture(autouse=True)
def _no_open_data_rebuilds(settings):
    # Each committed change asks for the open data package to be rebuilt (a Celery task); the
    # open data's own tests turn that back on, with a folder of their own.
    settings.OPENDATA_REBUILD_ON_CHANGE = False


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates each request's language and leaves it active in the thread, as
    # Django does between requests; each test starts in the default language, as a server's
    # next request would.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def eager_celery():
    """Celery tasks run in the test's own thread when they are sent (no worker)."""
    from tracker.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
