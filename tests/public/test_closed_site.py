import base64

import pytest
from django.test import override_settings

from tests.support.factories import CommitmentFactory, UserFactory

PAGES = ["/", "/commitments/closed-one/", "/dashboard/"]
FEEDS = ["/feeds/status-changes.atom", "/feeds/status-changes/KZ.atom", "/feeds/target-dates.ics"]


@pytest.fixture
def commitment(db):
    return CommitmentFactory(slug="closed-one")


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.mark.parametrize("path", PAGES + FEEDS)
def test_open_site_serves_everyone(client, commitment, path):
    assert client.get(path).status_code == 200


@override_settings(PUBLIC_PAGES_REQUIRE_LOGIN=True)
@pytest.mark.parametrize("path", PAGES)
def test_closed_site_sends_anonymous_readers_to_the_login_page(client, commitment, path):
    response = client.get(path, {"status": "agreed"} if path == "/" else {})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert path in response["Location"]
    assert "closed-one" not in response.content.decode()


@override_settings(PUBLIC_PAGES_REQUIRE_LOGIN=True)
@pytest.mark.parametrize("path", FEEDS)
def test_closed_site_answers_401_to_anonymous_feed_readers(client, commitment, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="Commitment tracker"')
    assert b"closed-one" not in response.content


@override_settings(PUBLIC_PAGES_REQUIRE_LOGIN=True)
@pytest.mark.parametrize("path", PAGES + FEEDS)
def test_closed_site_serves_signed_in_users(client, commitment, path):
    client.force_login(UserFactory(is_staff=False))

    assert client.get(path).status_code == 200


@override_settings(PUBLIC_PAGES_REQUIRE_LOGIN=True)
def test_closed_feeds_accept_http_basic_credentials_and_refuse_wrong_ones(client, commitment):
    user = UserFactory(username="reader", is_staff=False)
    UserFactory(username="gone", is_active=False)

    good = client.get(FEEDS[0], HTTP_AUTHORIZATION=basic("reader", "pass-Word-123"))
    wrong = client.get(FEEDS[0], HTTP_AUTHORIZATION=basic("reader", "guess"))
    inactive = client.get(FEEDS[0], HTTP_AUTHORIZATION=basic("gone", "pass-Word-123"))
    garbage = client.get(FEEDS[0], HTTP_AUTHORIZATION="Basic !!not-base64!!")

    assert user.is_active and good.status_code == 200
    assert [wrong.status_code, inactive.status_code, garbage.status_code] == [401, 401, 401]


@override_settings(PUBLIC_PAGES_REQUIRE_LOGIN=True)
def test_closed_site_does_not_let_an_inactive_session_through(client, commitment):
    user = UserFactory()
    client.force_login(user)
    user.is_active = False
    user.save()

    assert client.get("/").status_code == 302
