"""A reader sees a target's progress per party and an agreement's per-party dates; axe-core on
both pages, with screenshots for the record."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from commitments import services
from commitments.actors import SystemActor
from commitments.models import Commitment, Source
from tests.support.browser import severe


@pytest.fixture
def parties_reported(seeded):
    """The seed record, with both governments' positions on the agreement and the trade target
    postponed twice."""
    treaty = Commitment.objects.get(slug="allied-relations-agreement")
    source = Source.objects.get(seed_file="000_42bd203fab2b6eb3.txt")
    # The two governments' own accounts, as staff would record them, so the page shows both.
    for code, status in (("KG", "agreed"), ("KZ", "in_progress")):
        services.party_position_record(
            commitment=treaty,
            actor=SystemActor.SEED_LOADER,
            country=code,
            status=status,
            reported_on=dt.date(2024, 12, 5),
            source=source,
        )
    trade = Commitment.objects.get(slug="trade-turnover-3bn-2030")
    for year in (2031, 2032):
        services.commitment_update(
            commitment=trade,
            actor=SystemActor.SEED_LOADER,
            data={"target_date": dt.date(year, 12, 31)},
            target_date_reason="A constructed postponement for this test.",
        )


def test_trade_target_shows_progress_per_party_and_an_agreement_its_dates(
    parties_reported, page, live_server, screenshot, axe
):
    page.goto(f"{live_server.url}/commitments/trade-turnover-3bn-2030/")
    lines = page.locator("ul.progress-lines li")
    expect(lines).to_have_count(2)
    # Parties by code: Kyrgyzstan's one 2024 figure cannot tell; Kazakhstan's 2022 and 2024
    # figures grow 0.2 bn a year, more than the 0.16 bn a year needed by the postponed date.
    expect(lines.nth(0)).to_contain_text("Kyrgyzstan's figures")
    expect(lines.nth(0)).to_contain_text("Not enough data")
    expect(lines.nth(1)).to_contain_text("Kazakhstan's figures")
    expect(lines.nth(1)).to_contain_text("On track")
    expect(page.locator(".chart-progress")).to_contain_text("Kazakhstan's figures: On track")
    conflict = page.locator("table.observations tr.conflict")
    expect(conflict).to_contain_text("Reported by Kyrgyzstan")
    expect(conflict).to_contain_text("Reported by Kazakhstan")
    expect(page.locator(".tag-postponed")).to_have_text("Postponed twice, originally 2030")
    expect(page.locator("ol.date-changes li")).to_have_count(2)
    screenshot("progress-trade-target-per-party")
    assert severe(axe("progress-trade-target")) == {}

    page.goto(f"{live_server.url}/commitments/allied-relations-agreement/")
    rows = page.locator("table.instrument-parties tbody tr")
    expect(rows).to_have_count(2)
    for index, party in enumerate(("Kyrgyzstan", "Kazakhstan")):
        expect(rows.nth(index).locator("th")).to_have_text(party)
        expect(rows.nth(index)).to_contain_text("5 December 2024")  # signed, as reported
        expect(rows.nth(index)).to_contain_text("Not reported")  # ratification, entry into force
    expect(page.locator("a.tag-diverging")).to_be_visible()
    positions = page.locator("table.positions tbody tr")
    expect(positions).to_have_count(2)
    screenshot("progress-agreement-per-party-dates")
    assert severe(axe("progress-agreement")) == {}
