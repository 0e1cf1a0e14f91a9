"""Hostile webhook addresses, in every form that reaches a non-public host: refused at
registration (API and admin) and again at delivery, where nothing is sent."""

import pytest
from django.contrib.auth.models import Permission

from commitments import messages
from commitments.events import delivery, safety
from commitments.events.models import WebhookDelivery, WebhookEndpoint
from tests.support.api import client_for
from tests.support.factories import UserFactory

# Literal hosts: the resolver answers them without DNS, so each reaches `is_public` as written.
HOSTILE = [
    "127.0.0.1",
    "0.0.0.0",  # noqa: S104 - a hostile target, not a bind address
    "10.0.0.1",
    "100.64.0.1",
    "169.254.169.254",
    "192.168.0.1",
    "198.18.0.1",
    "240.0.0.1",
    "[::1]",
    "[::]",
    "[::127.0.0.1]",  # IPv4-compatible (deprecated)
    "[::a9fe:a9fe]",  # the same, written in hex: 169.254.169.254
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:a9fe:a9fe]",
    "[::ffff:0:127.0.0.1]",  # SIIT translated
    "[64:ff9b::7f00:1]",  # NAT64 well-known prefix around 127.0.0.1
    "[64:ff9b::a00:1]",  # around 10.0.0.1
    "[64:ff9b:1::7f00:1]",  # NAT64 local-use prefix
    "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
    "[2002:a9fe:a9fe::1]",  # 6to4 of 169.254.169.254
    "[2002:c0a8:1::1]",  # 6to4 of 192.168.0.1
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",  # Teredo
    "[2001::1]",
    "[2001:db8::1]",
    "[100::1]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[fe80::1]",
    "[fec0::1]",
    "[ff02::1]",
]
PUBLIC = ["93.184.215.14", "[2606:4700::1111]", "[::ffff:93.184.215.14]", "[64:ff9b::5db8:d70e]"]


def _address(host: str) -> str:
    return host.strip("[]")


@pytest.mark.parametrize("host", HOSTILE)
def test_no_form_of_a_non_public_address_is_public(host):
    assert safety.is_public(_address(host)) is False


@pytest.mark.parametrize("host", PUBLIC)
def test_public_addresses_stay_public(host):
    assert safety.is_public(_address(host)) is True


@pytest.fixture
def production(settings):
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = False
    settings.EVENTS_WEBHOOK_REQUIRE_HTTPS = True


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTILE)
def test_registration_refuses_every_hostile_address(production, host):
    user = UserFactory(username="integrator")
    user.user_permissions.add(Permission.objects.get(codename="add_webhookendpoint"))
    response = client_for(user).post(
        "/api/v1/webhooks/", {"url": f"https://{host}/hook"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert str(messages.NOT_PUBLIC) in str(response.json())
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("host", HOSTILE)
def test_delivery_refuses_every_hostile_address(production, host, kz, kg):
    from commitments import services
    from commitments.actors import SystemActor
    from tests.support.factories import CommitmentFactory

    # Registered before the rules tightened (or written to the database directly).
    endpoint = WebhookEndpoint.objects.create(
        owner=UserFactory(username="integrator"), url=f"https://{host}/hook", secret="s" * 32
    )
    commitment = CommitmentFactory(slug="hub", partners=["KG"])
    services.commitment_update(
        commitment=commitment, actor=SystemActor.INGESTION, data={"description": "v1"}
    )

    delivery.deliver(endpoint.pk)

    attempt = WebhookDelivery.objects.get()
    assert attempt.outcome == WebhookDelivery.Outcome.BLOCKED
    assert attempt.error == str(messages.NOT_PUBLIC)
