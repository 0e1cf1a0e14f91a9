"""Webhook delivery against a real HTTP receiver on 127.0.0.1, run in the test's own process."""

import json
import time
from unittest import mock

import pytest
from django.core import mail

from commitments import messages, services
from commitments.actors import SystemActor
from commitments.events import delivery, safety, signing
from commitments.events.models import Event, WebhookDelivery, WebhookEndpoint
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, UserFactory
from tests.support.webhooks import Receiver, readme_verify

Outcome = WebhookDelivery.Outcome
# Committed rows: on PostgreSQL the feed shows only transactions that have ended, and a test
# wrapped in one open transaction would see none of its own events.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.EVENTS_WEBHOOK_CONNECT_TIMEOUT = 1
    settings.EVENTS_WEBHOOK_READ_TIMEOUT = 1
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = True
    settings.EVENTS_WEBHOOK_REQUIRE_HTTPS = False
    settings.EVENTS_WEBHOOK_DISABLE_AFTER = 3
    delivery._client = None  # a new client with these timeouts


@pytest.fixture
def commitment(kz, kg):
    return CommitmentFactory(slug="hub", partners=["KG"])


@pytest.fixture
def owner(db):
    return UserFactory(username="integrator", email="integrator@example.org")


def endpoint_for(owner, url, **fields):
    return WebhookEndpoint.objects.create(owner=owner, url=url, secret="s" * 32, **fields)


def changes(commitment, count):
    for i in range(count):
        services.commitment_update(
            commitment=commitment, actor=SystemActor.INGESTION, data={"description": f"v{i}"}
        )


def feed_ids():
    return [str(u) for u in Event.objects.order_by("xid", "id").values_list("uuid", flat=True)]


def test_events_are_delivered_in_order_signed_as_the_readme_says(receiver, commitment, owner):
    endpoint = endpoint_for(owner, receiver.url())
    changes(commitment, 3)

    run = delivery.deliver(endpoint.pk)

    assert (run.result, run.delivered) == (delivery.Result.IDLE, 3)
    assert receiver.ids() == feed_ids()
    verify = readme_verify()
    for request in receiver.received:
        assert verify("s" * 32, request.headers, request.body)
        assert request.json()["id"] == request.headers["Tracker-Event-Id"]
        assert request.headers["Tracker-Event-Type"] == "commitment.updated"
    tampered = receiver.received[0]
    assert not verify("s" * 32, tampered.headers, tampered.body.replace(b"ingestion", b"intruder"))
    assert not verify("another-secret-entirely", tampered.headers, tampered.body)
    assert [d.outcome for d in WebhookDelivery.objects.all()] == [Outcome.DELIVERED] * 3
    # Nothing new: a second run sends nothing again.
    assert delivery.deliver(endpoint.pk).delivered == 0
    assert len(receiver.received) == 3


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    assert signing.signature("key", 1700000000, b'{"a":1}') == (
        "v1=" + __import__("hmac").new(b"key", b'1700000000.{"a":1}', "sha256").hexdigest()
    )


def test_endpoint_filters_choose_the_events_and_the_cursor_skips_the_rest(
    receiver, commitment, owner, kz
):
    kz_only = CommitmentFactory(slug="kz-only", owner_country=kz)
    endpoint = endpoint_for(owner, receiver.url(), countries=["KG"])
    changes(kz_only, 2)
    changes(commitment, 1)
    changes(kz_only, 2)

    delivery.deliver(endpoint.pk)

    assert [r.json()["commitment"]["slug"] for r in receiver.received] == ["hub"]
    endpoint.refresh_from_db()
    assert endpoint.cursor_event_id == Event.objects.order_by("id").last().pk


def test_a_5xx_is_logged_and_retried_later_holding_back_the_next_events(
    receiver, commitment, owner
):
    endpoint = endpoint_for(owner, receiver.url())
    changes(commitment, 2)
    receiver.status = 503
    receiver.reply = b"x" * 5000

    run = delivery.deliver(endpoint.pk)

    assert run.result is delivery.Result.RETRY
    assert 10 <= run.retry_in <= 10  # the first retry waits the base: doubling starts after it
    (attempt,) = WebhookDelivery.objects.all()
    assert (attempt.outcome, attempt.response_status) == (Outcome.FAILED, 503)
    assert len(attempt.response_excerpt) == 500
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1
    assert endpoint.next_attempt_at is not None
    assert delivery.deliver(endpoint.pk).result is delivery.Result.BUSY  # not due yet

    receiver.status = 200
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(next_attempt_at=None)
    assert delivery.deliver(endpoint.pk).delivered == 2
    assert receiver.unique_ids() == feed_ids()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_backoff_doubles_is_capped_and_jittered_above_its_floor(settings):
    settings.EVENTS_WEBHOOK_RETRY_BACKOFF = 2
    settings.EVENTS_WEBHOOK_RETRY_BACKOFF_MAX = 20
    for failures, low, high in [(1, 2, 2), (2, 2, 4), (3, 4, 8), (4, 8, 16), (9, 10, 20)]:
        delays = [delivery.backoff(failures) for _ in range(200)]
        assert low <= min(delays) and max(delays) <= high


def test_a_refused_delivery_moves_on_and_too_many_failures_disable_and_email(
    receiver, commitment, owner
):
    endpoint = endpoint_for(owner, receiver.url())
    changes(commitment, 4)
    receiver.status = 410

    run = delivery.deliver(endpoint.pk)

    assert run.result is delivery.Result.DISABLED
    assert [d.outcome for d in WebhookDelivery.objects.order_by("id")] == [Outcome.REFUSED] * 3
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "3 consecutive failed deliveries" in endpoint.disabled_reason
    (message,) = mail.outbox
    assert message.to == ["integrator@example.org"]
    assert receiver.url() in message.subject
    assert delivery.deliver(endpoint.pk).result is delivery.Result.BUSY

    receiver.status = 200
    delivery.enable(WebhookEndpoint.objects.filter(pk=endpoint.pk))
    assert delivery.deliver(endpoint.pk).delivered == 1  # the fourth; then a time range again
    delivery.redeliver(endpoint, Event.objects.all())
    assert delivery.deliver(endpoint.pk).delivered == 4
    assert receiver.ids()[-4:] == feed_ids()
    assert WebhookDelivery.objects.filter(is_redelivery=True).count() == 4


def test_redirects_are_not_followed(receiver, commitment, owner):
    endpoint = endpoint_for(owner, receiver.url())
    changes(commitment, 1)
    receiver.status = 307
    receiver.extra_headers = {"Location": receiver.url("/elsewhere")}

    delivery.deliver(endpoint.pk)

    assert [r.path for r in receiver.received] == ["/hook"]
    assert WebhookDelivery.objects.get().outcome == Outcome.REFUSED


def test_a_slow_receiver_times_out_and_is_retried(receiver, commitment, owner):
    endpoint = endpoint_for(owner, receiver.url())
    changes(commitment, 1)
    receiver.delay = 2

    started = time.monotonic()
    run = delivery.deliver(endpoint.pk)

    assert time.monotonic() - started < 4
    assert run.result is delivery.Result.RETRY
    assert "Timeout" in WebhookDelivery.objects.get().error


def test_a_receiver_that_is_down_is_a_failed_attempt(commitment, owner):
    endpoint = endpoint_for(owner, Receiver().url())  # nothing listens there
    changes(commitment, 1)

    assert delivery.deliver(endpoint.pk).result is delivery.Result.RETRY
    assert "ConnectError" in WebhookDelivery.objects.get().error


def test_private_addresses_are_blocked_at_delivery_when_not_allowed(
    receiver, commitment, owner, settings
):
    endpoint = endpoint_for(owner, receiver.url())
    changes(commitment, 1)
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = False

    delivery.deliver(endpoint.pk)

    assert receiver.received == []
    attempt = WebhookDelivery.objects.get()
    assert attempt.outcome == Outcome.BLOCKED
    assert attempt.error == str(messages.NOT_PUBLIC)


@pytest.mark.parametrize(
    ("url", "addresses", "message"),
    [
        ("http://hooks.example.org/", ["93.184.215.14"], messages.HTTPS_REQUIRED),
        ("ftp://hooks.example.org/", ["93.184.215.14"], messages.HTTP_OR_HTTPS),
        ("https://u:p@hooks.example.org/", ["93.184.215.14"], messages.NO_CREDENTIALS),
        ("https://hooks.example.org/", ["10.1.2.3"], messages.NOT_PUBLIC),
        ("https://hooks.example.org/", ["93.184.215.14", "127.0.0.1"], messages.NOT_PUBLIC),
        ("https://hooks.example.org/", ["169.254.169.254"], messages.NOT_PUBLIC),
        ("https://hooks.example.org/", ["::ffff:192.168.0.1"], messages.NOT_PUBLIC),
        ("https://hooks.example.org/", ["fe80::1"], messages.NOT_PUBLIC),
        ("https://hooks.example.org/", [], messages.UNRESOLVABLE),
    ],
)
def test_production_refuses_unsafe_urls(settings, url, addresses, message):
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = False
    settings.EVENTS_WEBHOOK_REQUIRE_HTTPS = True
    infos = [(2, 1, 6, "", (a, 443)) for a in addresses]
    with (
        mock.patch("socket.getaddrinfo", return_value=infos),
        pytest.raises(safety.UnsafeTarget) as e,
    ):
        safety.resolve(url)
    assert str(e.value) == str(message)


def test_production_accepts_https_on_public_addresses(settings):
    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = False
    settings.EVENTS_WEBHOOK_REQUIRE_HTTPS = True
    with mock.patch("socket.getaddrinfo", return_value=[(2, 1, 6, "", ("93.184.215.14", 443))]):
        assert safety.resolve("https://hooks.example.org/in") == "93.184.215.14"


def test_registering_through_the_api_needs_the_permission(owner, receiver, kg):
    from django.contrib.auth.models import Permission

    api = client_for(owner)
    body = {"url": receiver.url(), "event_types": ["commitment.deleted"], "countries": ["KG"]}
    assert api.post("/api/v1/webhooks/", body, format="json").status_code == 403

    owner.user_permissions.add(Permission.objects.get(codename="add_webhookendpoint"))
    api = client_for(owner)
    response = api.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert len(created["secret"]) >= 32  # shown this once
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert [e["url"] for e in listed] == [receiver.url()]
    assert "secret" not in listed[0]
    other = client_for(UserFactory(username="someone-else"))
    assert other.get(f"/api/v1/webhooks/{created['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event_type", ["commitment.deleted"]),  # a typo of event_types: would subscribe to all
        ("country", ["KG"]),  # a typo of countries: would subscribe to every country
        ("is_active", False),  # read-only
    ],
)
def test_registering_with_an_unknown_or_read_only_field_is_a_400_naming_it(
    owner, receiver, kg, field, value
):
    """The schema says additionalProperties: false, as for every write: a misspelt filter must
    not register an endpoint that receives everything."""
    from django.contrib.auth.models import Permission

    owner.user_permissions.add(Permission.objects.get(codename="add_webhookendpoint"))
    body = {"url": receiver.url(), field: value}
    response = client_for(owner).post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == [field]
    assert not WebhookEndpoint.objects.exists()


def test_registering_an_unsafe_url_is_a_400_naming_the_url(owner, settings):
    from django.contrib.auth.models import Permission

    settings.EVENTS_WEBHOOK_ALLOW_PRIVATE = False
    owner.user_permissions.add(Permission.objects.get(codename="add_webhookendpoint"))
    response = client_for(owner).post(
        "/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hook"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"url": [str(messages.NOT_PUBLIC)]}
    assert not WebhookEndpoint.objects.exists()
    assert json.loads(response.content)["type"] == "urn:tracker:problem:validation-error"
