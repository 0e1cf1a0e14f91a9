import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The real seed data: 21 commitments, 9 observations with conflicting figures."""
    call_command("load_seeds", verbosity=0)


def page_html(response, status: int = 200) -> str:
    """The page's HTML, once it has answered with `status`."""
    assert response.status_code == status
    return response.content.decode()
