"""Error pages in the public site's look, and a favicon wherever a browser asks for one."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

from tests.support.public import page_html


def test_unknown_address_gets_the_styled_404_page(client, db):
    html = page_html(client.get("/no-such-page/"), 404)

    assert "<title>Page not found – Kazakhstan–Kyrgyzstan commitment tracker</title>" in html
    assert '<link rel="stylesheet" href="/static/public/public.css">' in html
    assert '<a href="/">Search all commitments</a>' in html
    assert '<a class="site-name" href="/">' in html  # the site's header and navigation


def test_500_page_renders_without_request_context_processors_or_database():
    # No `db` fixture: any query here would fail the test.
    html = page_html(server_error(RequestFactory().get("/")), 500)

    assert "<h1>Something went wrong</h1>" in html
    assert '<link rel="stylesheet" href="/static/public/public.css">' in html
    assert '<a class="site-name" href="/">' in html


@override_settings(ROOT_URLCONF="tests.public.error_urls")
def test_a_failing_view_shows_the_styled_500_page(db):
    response = Client(raise_request_exception=False).get("/fail/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_favicon_ico_leads_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/public/favicon.ico"
    with open(finders.find("public/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_public_pages_and_admin_link_the_favicon(client, db, url):
    html = client.get(url).content.decode()

    assert '<link rel="icon" href="/static/public/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("public/favicon.svg")
