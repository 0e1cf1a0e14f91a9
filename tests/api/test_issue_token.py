from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory


def run(*args) -> str:
    out = StringIO()
    call_command("issue_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_issue_token_prints_a_working_token_and_is_stable(db):
    user = UserFactory(username="ministry-system")
    key = run("ministry-system")
    assert Token.objects.get(user=user).key == key
    assert run("ministry-system") == key


def test_rotate_replaces_the_token(db):
    UserFactory(username="ministry-system")
    old = run("ministry-system")
    new = run("ministry-system", "--rotate")
    assert new != old
    assert not Token.objects.filter(key=old).exists()


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="No user"):
        run("nobody")


def test_the_token_authenticates(db, client):
    UserFactory(username="ministry-system")
    key = run("ministry-system")
    response = client.get("/api/v1/countries/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
