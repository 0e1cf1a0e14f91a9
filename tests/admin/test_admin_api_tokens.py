"""Issue 25, item 11: staff issue and revoke their own API tokens in admin; the key is shown once,
on the page that answers the form, and works at once."""

import re

import pytest
from rest_framework.test import APIClient

from commitments.models import ApiToken
from tests.support.admin import logged_in_staff
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/commitments/apitoken/add/"
LIST = "/admin/commitments/apitoken/"


def issue(client, name="portal", days=30):
    response = client.post(ADD, {"name": name, "days": days})
    assert response.status_code == 200, response.content[:300]
    key = re.search(r'id="issued-key"[^>]*value="([^"]+)"', response.content.decode())[1]
    return response, key


def test_staff_issue_a_token_and_see_its_key_once(client, kz):
    officer = logged_in_staff(client, "KZ", username="kz-officer")
    response, key = issue(client)
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (officer, "portal", key[:8])
    assert token.digest == ApiToken.digest_of(key)
    assert (token.expires_at - token.created_at).days == 30
    assert "no-store" in response["Cache-Control"]
    # Shown once: no later page carries it.
    assert key not in client.get(LIST).content.decode()
    assert key not in client.get(f"{LIST}{token.pk}/change/").content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/countries/").status_code == 200


def test_staff_see_and_revoke_only_their_own_tokens(client, kz):
    logged_in_staff(client, "KZ", username="kz-officer")
    other, _key = ApiToken.objects.issue(UserFactory(username="someone-else"), "their system")
    issue(client)
    mine = ApiToken.objects.get(name="portal")
    page = client.get(LIST).content.decode()
    assert "portal" in page and "their system" not in page
    assert client.get(f"{LIST}{other.pk}/change/").status_code in (302, 403, 404)
    client.post(LIST, {"action": "revoke", "_selected_action": [mine.pk, other.pk]})
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.revoked_at is not None
    assert other.revoked_at is None
