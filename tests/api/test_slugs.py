"""A commitment created through the API without a slug gets the one an accepted suggestion would:
its title transliterated, numbered when taken."""

from commitments.models import Commitment
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory

LIST = "/api/v1/commitments/"


def created_slug(user, title):
    body = {"title": title, "owner_country": "KZ", "category": "energy"}
    response = client_for(user).post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    return Commitment.objects.get(pk=response.json()["id"]).slug


def test_a_cyrillic_title_gives_a_readable_latin_slug(kz_officer):
    # Slugified without transliteration, this title left nothing and became "commitment".
    assert created_slug(kz_officer, "Строительство Камбаратинской ГЭС") == (
        "stroitelstvo-kambaratinskoi-ges"
    )


def test_a_taken_slug_gets_the_next_free_number(kz_officer):
    CommitmentFactory(slug="casa-1000")
    assert created_slug(kz_officer, "CASA 1000") == "casa-1000-2"
