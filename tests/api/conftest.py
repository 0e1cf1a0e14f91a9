import pytest
from django.core.cache import cache

from tests.support.api import client_for
from tests.support.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def api(superuser):
    return client_for(superuser)
