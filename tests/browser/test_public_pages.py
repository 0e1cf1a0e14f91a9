"""Readers' path through the public pages on the real seed data, and axe-core on each page type."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import severe


def test_reader_filters_the_list_follows_a_commitment_and_sees_timeline_and_chart(
    seeded, page, live_server, screenshot
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title("Commitments – Kazakhstan–Kyrgyzstan commitment tracker")
    expect(page.get_by_role("status")).to_contain_text("21 commitments")
    screenshot("public-list")

    page.get_by_label("Category").select_option("trade")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Country (owner or partner)").select_option("KG")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(
        f"{live_server.url}/?q=&country=KG&status=in_progress&category=trade&stale="
        "&progress=&slipped=&diverging="
    )
    expect(page.get_by_role("status")).to_contain_text("2 commitments match the filters")
    rows = page.locator("table.commitments tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".badge")).to_have_text("In progress")
    screenshot("public-list-filtered")

    page.get_by_role("link", name="Raise mutual trade turnover to $2 billion a year").click()

    expect(page).to_have_url(f"{live_server.url}/commitments/trade-turnover-2bn/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Raise mutual trade turnover to $2 billion a year"
    )
    timeline = page.locator("ol.timeline > li")
    expect(timeline.first).to_contain_text("Recorded as In progress")
    expect(timeline.filter(has_text="Our countries face an ambitious task today")).to_have_count(1)
    chart = page.get_by_role("img", name="Progress toward the target")
    expect(chart).to_be_visible()
    # January–July 2023: Interfax and Kazinform say $757 mn, Torebayev (Kazinform) $755.4 mn,
    # written to three significant figures.
    conflict = page.locator("table.observations tr.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict.locator("th")).to_contain_text("January–July 2023")
    expect(conflict.locator("li.reported")).to_have_count(3)
    expect(conflict).to_contain_text("757 million USD")
    expect(conflict).to_contain_text("755 million USD")
    expect(page.locator("svg.chart-svg rect")).to_have_count(5)
    screenshot("public-detail-trade-turnover-2bn")

    page.goto(f"{live_server.url}/commitments/trade-turnover-3bn-2030/")
    expect(page.locator("table.observations tr.conflict")).to_contain_text("1.7 billion USD")
    expect(page.locator("svg.chart-svg circle.target-point")).to_have_count(1)
    screenshot("public-detail-trade-turnover-3bn-2030")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("list", "/"),
        ("detail", "/commitments/trade-turnover-2bn/"),
        ("dashboard", "/dashboard/"),
    ],
)
def test_public_page_has_no_serious_or_critical_accessibility_violations(
    seeded, page, live_server, screenshot, axe, name, path
):
    page.goto(f"{live_server.url}{path}")

    violations = axe(f"public-{name}")

    screenshot(f"public-axe-{name}")
    assert severe(violations) == {}
