import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The real seed data: 21 commitments, 9 observations with conflicting figures."""
    call_command("load_seeds", verbosity=0)
