"""The webhook admin scopes like the API: staff act only on their own endpoints (superusers on
all), a secret is shown once and stored sealed, and a superuser deletes an endpoint with history."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from commitments import services
from commitments.actors import SystemActor
from commitments.events import outbox, sealing
from commitments.events.models import Event, WebhookDelivery, WebhookEndpoint, WebhookRedelivery
from tests.support.factories import CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PERMS = [
    "view_webhookendpoint",
    "add_webhookendpoint",
    "change_webhookendpoint",
    "delete_webhookendpoint",
    "view_webhookdelivery",
]
THEIR_SECRET = "their-secret-" + "t" * 30


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch, settings):
    monkeypatch.setattr(outbox, "kick_dispatch", lambda: None)
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = True
    settings.EVENTS_WEBHOOK_REQUIRE_HTTPS = False


def staff(username):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=PERMS))
    return user


@pytest.fixture
def theirs(kz, kg):
    commitment = CommitmentFactory(slug="hub", partners=["KG"])
    services.commitment_update(
        commitment=commitment, actor=SystemActor.INGESTION, data={"description": "v1"}
    )
    endpoint = WebhookEndpoint.objects.create(
        owner=staff("owner"), url="https://owner.example.org/in", secret=THEIR_SECRET
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint, event=Event.objects.get(), outcome=WebhookDelivery.Outcome.FAILED
    )
    return endpoint


@pytest.fixture
def intruder(client):
    client.force_login(staff("intruder"))
    return client


def test_staff_neither_see_nor_touch_another_users_endpoint(theirs, intruder):
    change_url = reverse("admin:commitments_webhookendpoint_change", args=[theirs.pk])
    endpoints = intruder.get(reverse("admin:commitments_webhookendpoint_changelist"))
    assert endpoints.status_code == 200
    assert "owner.example.org" not in endpoints.text

    page = intruder.get(change_url)
    assert page.status_code == 302  # "does not exist" for them
    assert THEIR_SECRET not in intruder.get(change_url, follow=True).text

    intruder.post(change_url, {"url": "https://evil.example.org/", "description": ""})
    intruder.post(
        reverse("admin:commitments_webhookendpoint_changelist"),
        {"action": "disable", "_selected_action": [theirs.pk]},
    )
    log = intruder.get(reverse("admin:commitments_webhookdelivery_changelist"))
    assert "owner.example.org" not in log.text
    intruder.post(
        reverse("admin:commitments_webhookdelivery_changelist"),
        {
            "action": "redeliver",
            "_selected_action": list(theirs.deliveries.values_list("pk", flat=True)),
        },
    )
    intruder.post(
        reverse("admin:commitments_webhookendpoint_delete", args=[theirs.pk]), {"post": "yes"}
    )

    theirs.refresh_from_db()
    assert (theirs.url, theirs.is_active) == ("https://owner.example.org/in", True)
    assert not WebhookRedelivery.objects.exists()


def test_staff_still_manage_their_own_endpoint(theirs, client):
    client.force_login(theirs.owner)
    response = client.post(
        reverse("admin:commitments_webhookendpoint_changelist"),
        {"action": "disable", "_selected_action": [theirs.pk]},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.is_active is False


def test_a_secret_is_shown_once_and_stored_sealed(kz, client):
    user = staff("integrator")
    client.force_login(user)
    response = client.post(
        reverse("admin:commitments_webhookendpoint_add"),
        {"url": "http://127.0.0.1:9/in", "description": ""},
        follow=True,
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    endpoint = WebhookEndpoint.objects.get()
    assert any(endpoint.secret in m for m in shown), shown
    assert len(endpoint.secret) >= 32

    page = client.get(reverse("admin:commitments_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret not in page.text  # never shown again

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM commitments_webhookendpoint")
        (stored,) = cursor.fetchone()
    assert endpoint.secret not in stored  # a dump holds no usable secret
    assert sealing.unseal(stored) == endpoint.secret  # and deliveries can still sign with it

    # Saving the page without typing a new secret keeps the old one and shows nothing.
    kept = endpoint.secret
    response = client.post(
        reverse("admin:commitments_webhookendpoint_change", args=[endpoint.pk]),
        {"url": "http://127.0.0.1:9/in", "description": "renamed"},
        follow=True,
    )
    endpoint.refresh_from_db()
    assert (endpoint.description, endpoint.secret) == ("renamed", kept)
    assert not any(kept in str(m) for m in get_messages(response.wsgi_request))


def test_a_superuser_deletes_an_endpoint_with_delivery_history(theirs, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:commitments_webhookendpoint_delete", args=[theirs.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_migration_seals_secrets_stored_in_plain(theirs):
    from importlib import import_module

    migration = import_module("commitments.migrations.0004_webhook_secret_sealed")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commitments_webhookendpoint SET secret = %s", [THEIR_SECRET])
    migration.seal_plain(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM commitments_webhookendpoint")
        (stored,) = cursor.fetchone()
    assert THEIR_SECRET not in stored
    theirs.refresh_from_db()
    assert theirs.secret == THEIR_SECRET
    assert re.fullmatch(r"gAAAA[\w=-]+", stored)


def test_a_new_key_still_opens_secrets_sealed_under_the_fallback(settings):
    settings.EVENTS_WEBHOOK_SECRET_KEY = "first-key-" + "a" * 40
    settings.EVENTS_WEBHOOK_SECRET_KEY_FALLBACKS = []
    sealed = sealing.seal(THEIR_SECRET)
    settings.EVENTS_WEBHOOK_SECRET_KEY = "second-key-" + "b" * 40
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealed)
    settings.EVENTS_WEBHOOK_SECRET_KEY_FALLBACKS = ["first-key-" + "a" * 40]
    assert sealing.unseal(sealed) == THEIR_SECRET
