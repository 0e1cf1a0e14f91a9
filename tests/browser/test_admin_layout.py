"""The admin change page at a common laptop width: nothing scrolls sideways."""

from playwright.sync_api import expect

from commitments.models import Commitment
from tests.support.admin import staff_user

WIDTH = 1280


# The seed record has long meeting names, observations, evidence and history: every inline full.
def test_change_page_with_every_inline_fits_1280_px(
    transactional_db, seeded, page, live_server, admin_login, screenshot
):
    commitment = Commitment.objects.get(slug="trade-turnover-2bn")
    page.set_viewport_size({"width": WIDTH, "height": 900})
    admin_login(staff_user("KZ", username="kz-officer"))

    page.goto(f"{live_server.url}/admin/commitments/commitment/{commitment.pk}/change/")
    page.get_by_role("button", name="Add another Progress observation").click()
    screenshot("admin-change-page-1280")

    widths = page.evaluate(
        """() => ({document: document.documentElement.scrollWidth,
                   body: document.body.scrollWidth,
                   widest: [...document.querySelectorAll('body *')]
                     .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                     .slice(0, 5).map(e => e.tagName + '#' + (e.id || e.name || e.className))})"""
    )
    assert widths["document"] <= WIDTH, widths
    assert widths["body"] <= WIDTH, widths
    # Nor does the observations table hide a scroll bar of its own inside the page.
    group = page.locator("#observations-group")
    assert group.evaluate("g => g.scrollWidth <= g.clientWidth"), group.evaluate(
        "g => [g.scrollWidth, g.clientWidth]"
    )


def test_evidence_is_labelled_by_its_source_and_quote(
    transactional_db, seeded, page, live_server, admin_login
):
    commitment = Commitment.objects.get(slug="trade-turnover-2bn")
    admin_login(staff_user("KZ", username="kz-officer"))

    page.goto(f"{live_server.url}/admin/commitments/commitment/{commitment.pk}/change/")

    headers = page.locator("#evidence-group .inline-related h3")
    expect(headers.first).to_contain_text("Kazinform: “Our countries face an ambitious task")
    expect(page.locator("#evidence-group")).not_to_contain_text("Evidence #")
    options = page.locator("select[name='observations-0-evidence'] option")
    expect(options.nth(1)).to_have_text(
        "Kazinform: “Our countries face an ambitious task today – to raise the l…”"
    )
    expect(page.locator("#observations-group")).not_to_contain_text("Evidence #")
