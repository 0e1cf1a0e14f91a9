"""Admin, Swagger UI and ReDoc work under the Content-Security-Policy, from our own origin only.

Every page carries the policy; a violation (a blocked inline script, an outside font) is recorded
by the browser as a `securitypolicyviolation` event, and every request the page makes is checked
to stay on the machine (the live server is http://localhost:<port>/).
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.factories import CommitmentFactory, UserFactory

LOOPBACK = ("127.0.0.1", "localhost")
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
      `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations and every URL it requests off the machine."""
    page.add_init_script(RECORD_VIOLATIONS)
    outside: list[str] = []

    def check(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOOPBACK:
            outside.append(request.url)

    page.on("request", check)
    # Nothing may leave the machine: a request to another host fails instead of reaching it.
    page.route(
        lambda url: urlsplit(url).hostname not in (None, *LOOPBACK), lambda route: route.abort()
    )
    page.outside_requests = outside
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_every_html_page_carries_the_policies(transactional_db, watched, live_server):
    response = watched.goto(f"{live_server.url}/admin/login/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp  # and the response's nonce on pages that use one
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response.headers["permissions-policy"]
    assert "geolocation=()" in response.headers["permissions-policy"]


def test_admin_works_under_the_policy(transactional_db, watched, live_server, admin_login):
    commitment = CommitmentFactory(title="Build the Tash-Kumyr ferroalloy plant")
    admin_login(UserFactory(username="kz-officer", is_superuser=True, countries=["KZ"]))
    watched.goto(f"{live_server.url}/admin/commitments/commitment/")
    expect(watched.get_by_role("link", name=commitment.title)).to_be_visible()
    watched.goto(f"{live_server.url}/admin/commitments/commitment/{commitment.pk}/change/")
    # The admin's own scripts ran: they draw the inline's "Add another" link and the two-box
    # partner selector.
    expect(watched.get_by_text("Add another Evidence")).to_be_visible()
    expect(watched.get_by_text("Choose all partner countries")).to_be_visible()

    assert violations(watched) == []
    assert watched.outside_requests == []


def test_swagger_ui_works_under_the_policy(transactional_db, watched, live_server):
    watched.goto(f"{live_server.url}/api/v1/docs/")
    # Swagger UI has fetched the schema and drawn its operations.
    expect(watched.get_by_text("List commitments").first).to_be_visible()

    assert violations(watched) == []
    assert watched.outside_requests == []


def test_redoc_works_under_the_policy(transactional_db, watched, live_server):
    watched.goto(f"{live_server.url}/api/v1/redoc/")
    # ReDoc lays out the whole schema in the page's one thread before it draws: on a busy
    # machine that alone can outlast Playwright's default 5 s.
    heading = watched.get_by_role("heading", name="List commitments").first
    expect(heading).to_be_visible(timeout=30_000)
    watched.wait_for_load_state("networkidle")

    assert violations(watched) == []
    assert watched.outside_requests == []
