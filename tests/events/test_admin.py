"""The webhook admin's two ways to redeliver: a time range on the endpoint, attempts in the log."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from commitments import services
from commitments.actors import SystemActor
from commitments.events import outbox
from commitments.events.models import Event, WebhookDelivery, WebhookEndpoint, WebhookRedelivery
from tests.support.factories import CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(kz, kg, monkeypatch):
    monkeypatch.setattr(outbox, "kick_dispatch", lambda: None)  # no broker in this tier
    commitment = CommitmentFactory(slug="hub", partners=["KG"])
    for i in range(2):
        services.commitment_update(
            commitment=commitment, actor=SystemActor.INGESTION, data={"description": f"v{i}"}
        )
    owner = UserFactory(username="integrator")
    return WebhookEndpoint.objects.create(owner=owner, url="https://example.org/", secret="s" * 32)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_redelivering_attempts_from_the_log_queues_each_event_once(endpoint, superuser_client):
    attempts = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, outcome="failed")
        for event in Event.objects.all()
    ]
    response = superuser_client.post(
        reverse("admin:commitments_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [a.pk for a in attempts]},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 events queued for redelivery."
    ]
    assert WebhookRedelivery.objects.filter(endpoint=endpoint).count() == 2


def test_redelivering_a_time_range_queues_the_events_in_it(endpoint, superuser_client, settings):
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = True
    settings.EVENTS_WEBHOOK_REQUIRE_HTTPS = False
    first, second = Event.objects.order_by("id")
    Event.objects.filter(pk=second.pk).update(occurred_at=first.occurred_at + dt.timedelta(days=2))
    start = timezone.localtime(first.occurred_at) - dt.timedelta(hours=1)
    response = superuser_client.post(
        reverse("admin:commitments_webhookendpoint_change", args=[endpoint.pk]),
        {
            "url": "http://127.0.0.1:9/",
            "description": "",
            "secret": endpoint.secret,
            "redeliver_from": f"{start:%Y-%m-%d %H:%M:%S}",
            "redeliver_to": f"{start + dt.timedelta(days=1):%Y-%m-%d %H:%M:%S}",
        },
        follow=True,
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "1 event queued for redelivery." in messages
    assert list(WebhookRedelivery.objects.values_list("event", flat=True)) == [first.pk]
