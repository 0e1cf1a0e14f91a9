import pytest

from tests.factories import CountryFactory


@pytest.fixture
def kz(db):
    return CountryFactory(code="KZ")


@pytest.fixture
def kg(db):
    return CountryFactory(code="KG")
