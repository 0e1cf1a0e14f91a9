import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from commitments.models import ApiToken
from tests.support.factories import UserFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def run(command="issue_token", *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def status_with(key: str) -> tuple[int, str]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/countries/")
    return response.status_code, response.json().get("type", "") if response.content else ""


def test_the_issued_key_authenticates_and_is_stored_only_as_a_hash(db):
    user = UserFactory(username="ministry-system")
    key = run("issue_token", "ministry-system", "--name", "ministry-portal")

    assert status_with(key)[0] == 200
    token = ApiToken.objects.get(user=user)
    assert token.name == "ministry-portal"
    assert token.prefix == key[:8]
    # No column holds the key: a copy of the database gives no working credential.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(key in str(value) for value in row.values())


def test_each_issue_is_a_new_key_and_the_old_keeps_working(db):
    UserFactory(username="ministry-system")
    first = run("issue_token", "ministry-system", "--name", "portal")
    second = run("issue_token", "ministry-system", "--name", "statistics")
    assert first != second
    assert status_with(first)[0] == status_with(second)[0] == 200


def test_rotate_revokes_the_tokens_of_that_name_only(db):
    UserFactory(username="ministry-system")
    old = run("issue_token", "ministry-system", "--name", "portal")
    other = run("issue_token", "ministry-system", "--name", "statistics")
    new = run("issue_token", "ministry-system", "--name", "portal", "--rotate")
    assert status_with(old) == (401, "urn:tracker:problem:authentication-failed")
    assert status_with(new)[0] == status_with(other)[0] == 200


def test_tokens_expire_after_the_configured_days(db, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    UserFactory(username="ministry-system")
    with time_machine.travel(NOW, tick=False):
        key = run("issue_token", "ministry-system", "--name", "portal")
        short = run("issue_token", "ministry-system", "--name", "trial", "--days", "2")
    assert ApiToken.objects.get(name="portal").expires_at == NOW + dt.timedelta(days=30)
    with time_machine.travel(NOW + dt.timedelta(days=29), tick=False):
        assert status_with(key)[0] == 200
        assert status_with(short) == (401, "urn:tracker:problem:token-expired")
    with time_machine.travel(NOW + dt.timedelta(days=30, seconds=1), tick=False):
        assert status_with(key) == (401, "urn:tracker:problem:token-expired")


def test_revoke_token_command_stops_a_key_at_once(db):
    UserFactory(username="ministry-system")
    portal = run("issue_token", "ministry-system", "--name", "portal")
    stats = run("issue_token", "ministry-system", "--name", "statistics")
    assert run("revoke_token", "ministry-system", "--name", "portal") == (
        "Revoked 1 token(s) of ministry-system."
    )
    assert status_with(portal)[0] == 401
    assert status_with(stats)[0] == 200
    run("revoke_token", "ministry-system", "--all")
    assert status_with(stats)[0] == 401
    assert ApiToken.objects.count() == 2  # kept, as a record of who had access until when


def test_unknown_or_inactive_user_and_missing_name_are_errors(db):
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="No user"):
        run("issue_token", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="inactive"):
        run("issue_token", "gone", "--name", "x")
    with pytest.raises(CommandError, match="name"):
        run("issue_token", "gone")


def test_revoking_in_admin(db, client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    key = run("issue_token", "root", "--name", "portal")
    client.force_login(admin)
    listing = client.get("/admin/commitments/apitoken/")
    assert listing.status_code == 200
    assert b"portal" in listing.content
    assert key.encode() not in listing.content
    token = ApiToken.objects.get()
    response = client.post(
        "/admin/commitments/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert b"Revoked 1 token." in response.content
    assert status_with(key)[0] == 401


@pytest.mark.django_db(transaction=True)
def test_migration_hashes_plaintext_drf_tokens_and_erases_them():
    executor = MigrationExecutor(connection)
    executor.migrate([("commitments", "0002_commitment_list_indexes")])
    user = UserFactory(username="old-system")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id integer)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            ["a" * 40, "2026-01-01 00:00:00", user.pk],
        )
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0
        assert status_with("a" * 40)[0] == 200
        assert ApiToken.objects.get().name == "migrated"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")
