"""Playwright on Debian's Chromium against pytest-django's live server.

Playwright's own browser download does not work on these machines, so the tests drive
/usr/bin/chromium (installed by `make browser-deps`); a missing browser fails the tests loudly.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots")).resolve()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under SCREENSHOT_DIR and print where it went."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path

    return take


@pytest.fixture
def admin_login(page, live_server):
    """Log `user` (password pass-Word-123, as UserFactory sets) into the admin in the browser."""

    def login(user) -> None:
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("pass-Word-123")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/admin/")

    return login


AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_DIR = SCREENSHOT_DIR.parent / "axe"


@pytest.fixture
def axe(page):
    """Run axe-core (npm, pinned in package-lock.json) on the page; return violations by impact.

    Prints a one-line summary and writes the full result to test-artifacts/axe/<name>.json.
    """
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make node-deps` (npm ci)")

    def run(name: str) -> dict[str, list[dict]]:
        import json

        # Evaluated through the DevTools protocol: a <script> tag would be an inline script,
        # which the pages' Content-Security-Policy refuses.
        page.evaluate(AXE_JS.read_text())
        result = page.evaluate("async () => await axe.run(document)")
        by_impact: dict[str, list[dict]] = {}
        for violation in result["violations"]:
            by_impact.setdefault(violation["impact"] or "unknown", []).append(violation)
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        report = AXE_DIR / f"{name}.json"
        report.write_text(json.dumps(result["violations"], indent=2))
        counts = {impact: len(v) for impact, v in sorted(by_impact.items())} or "none"
        ids = sorted(v["id"] for vs in by_impact.values() for v in vs)
        print(
            f"axe-core {result['testEngine']['version']} on {name}: violations by impact {counts}"
            f"{' ' + str(ids) if ids else ''}; {len(result['passes'])} rules passed; {report}"
        )
        return by_impact

    return run
