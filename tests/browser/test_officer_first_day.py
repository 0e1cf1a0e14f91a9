"""A Russian-speaking officer's first day in admin (issue 25): adding a commitment with only a
Russian title, adding an article and finding its suggestions, the review queue at 1280 px, and a
new commitment's review form. The admin is in Russian (the browser asks for it), as are the
screenshots."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from commitments.ingestion.models import Suggestion
from commitments.models import Commitment, Source
from tests.support.admin import staff_user

ARTICLES = Path(__file__).resolve().parents[1] / "ingestion" / "articles"
WIDTH = 1280

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Имя пользователя").fill(user.username)
    page.get_by_label("Пароль").fill("pass-Word-123")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def save(page, timeout: float | None = None) -> None:
    page.get_by_role("button", name="Сохранить", exact=True).click(timeout=timeout)


def overflow(page, selector: str = "") -> dict:
    """How far the page (or one element) is wider than the window, and the elements sticking out."""
    return page.evaluate(
        """(selector) => {
            const box = selector ? document.querySelector(selector) : document.documentElement;
            return {scroll: box.scrollWidth, client: box.clientWidth,
                    document: document.documentElement.scrollWidth,
                    out: [...document.querySelectorAll('body *')]
                      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                      .slice(0, 5).map(e => e.tagName + '.' + e.className)};
        }""",
        selector,
    )


def fits(page, headers) -> None:
    """The page and the queue's table fit the window, and each named column is on screen."""
    widths = overflow(page, "#changelist .results")
    print(f"review queue at {WIDTH} px: page {widths['document']} px, table {widths['scroll']} px")
    assert widths["document"] <= WIDTH, widths
    assert widths["scroll"] <= widths["client"], widths
    for header in headers:
        box = page.locator("#result_list thead th", has_text=header).bounding_box()
        assert box is not None and box["x"] + box["width"] <= WIDTH, (header, box)


def test_a_commitment_with_only_a_russian_title_gets_a_form_error_not_a_500(
    transactional_db, kz, kg, page, live_server, screenshot
):
    log_in(page, live_server, staff_user("KZ", username="aigerim"))
    page.goto(f"{live_server.url}/admin/commitments/commitment/add/")
    page.locator("[name=title_ru]").fill("Открыть пункт пропуска «Карасу — Ак-Тилек»")
    page.locator("[name=owner_country]").select_option("KZ")
    page.locator("[name=category]").select_option("border_transport")
    save(page)

    error = page.locator(".field-title_en .errorlist")
    expect(error).to_contain_text("Укажите также название на английском языке")
    expect(page.locator("[name=title_ru]")).to_have_value(
        "Открыть пункт пропуска «Карасу — Ак-Тилек»"
    )
    screenshot("officer-ru-commitment-russian-title-only")
    assert not Commitment.objects.exists()

    page.locator("[name=title_en]").fill("Open the Karasu – Ak-Tilek crossing")
    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    commitment = Commitment.objects.get()
    assert commitment.title_ru == "Открыть пункт пропуска «Карасу — Ак-Тилек»"
    assert commitment.slug == "open-the-karasu-ak-tilek-crossing"


def test_the_review_queue_fits_1280_px_opens_on_pending_and_a_saved_source_leads_to_it(
    transactional_db, eager_celery, seeded, page, live_server, screenshot
):
    officer = staff_user("KZ", "KG", username="reviewer")
    log_in(page, live_server, officer)

    page.goto(f"{live_server.url}/admin/commitments/source/add/")
    page.locator("input[name=title]").fill("Товарооборот растёт")
    page.locator("input[name=published_on]").fill("20.11.2025")
    page.locator("textarea[name=text]").fill((ARTICLES / "ru_trade_figures.txt").read_text())
    # Saving runs the whole analysis in the request (eager Celery), the embedding model's first
    # load included: on a loaded two-core machine that takes longer than a click's usual wait.
    save(page, timeout=120_000)
    source = Source.objects.get(title="Товарооборот растёт")
    suggestions = Suggestion.objects.filter(source=source)
    assert suggestions.count() >= 3
    one = suggestions.filter(kind="evidence").first()
    one.status = Suggestion.State.REJECTED
    one.reason = "Повтор."
    one.save()
    screenshot("officer-ru-source-saved")

    # The saved source's message leads to its suggestions, the pending ones.
    page.locator(".messagelist").get_by_role("link", name="Проверить предложения").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(suggestions.count() - 1)
    expect(page.locator("#changelist-filter")).to_contain_text("Ожидает")
    screenshot("officer-ru-review-queue-1280")

    # Every column on screen, none scrolled away inside the table.
    fits(page, ("Цитата", "Оценка"))

    # "All" is one click away and lists the rejected one too, with the status column.
    page.locator("#changelist-filter li", has_text="Все").first.get_by_role("link").click()
    expect(rows).to_have_count(suggestions.count())
    # And the whole queue, every source's, with the source column: still 1280 px.
    page.goto(f"{live_server.url}/admin/commitments/suggestion/?status=all")
    screenshot("officer-ru-review-queue-all-1280")
    fits(page, ("Цитата", "Оценка", "Статус", "Источник"))

    # A figure's review form: its amount as the pages write it, its period as Russian dates.
    figure = suggestions.get(kind="observation")
    page.goto(f"{live_server.url}/admin/commitments/suggestion/{figure.pk}/change/")
    expect(page.locator(".field-value .help")).to_have_text("1,4 млрд долларов США")
    expect(page.locator("[name=period_start]")).to_have_value("01.01.2025")
    expect(page.locator("[name=period_end]")).to_have_value("31.08.2025")
    expect(page.locator(".field-proposal")).to_contain_text("в статье: $1,4 млрд")
    screenshot("officer-ru-review-figure")

    # The source's own page links its queue, with how many wait.
    page.goto(f"{live_server.url}/admin/commitments/source/{source.pk}/change/")
    expect(page.locator(".field-review_queue a")).to_contain_text(
        f"Ожидают проверки: {suggestions.count() - 1} из {suggestions.count()}"
    )


def test_a_reviewer_edits_a_new_commitment_in_russian_and_it_is_stored_in_russian(
    transactional_db, eager_celery, seeded, page, live_server, screenshot
):
    officer = staff_user("KZ", "KG", username="reviewer")
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/admin/commitments/source/add/")
    page.locator("input[name=title]").fill("Энергетики обсудили Камбаратинскую ГЭС-1")
    page.locator("input[name=published_on]").fill("20.11.2025")
    page.locator("textarea[name=text]").fill((ARTICLES / "ru_energy_new.txt").read_text())
    save(page, timeout=120_000)  # the analysis runs in the request (see above)
    proposal = Suggestion.objects.get(kind="commitment", source__title__startswith="Энергетики")

    page.goto(f"{live_server.url}/admin/commitments/suggestion/{proposal.pk}/change/")
    # Proper fields, not the payload's JSON; only this kind's fields. The category is a menu
    # showing the one the analysis proposed.
    expect(page.locator("[name=category]")).to_have_value(proposal.payload["category"])
    expect(page.locator("[name=countries][value=KZ]")).to_be_checked()
    expect(page.locator("[name=countries][value=KG]")).to_be_checked()
    expect(page.locator("[name=target_date]")).to_be_visible()
    expect(page.locator("[name=value]")).to_have_count(0)
    expect(page.locator(".field-proposal")).to_have_count(0)  # nothing left to show read-only
    assert '"countries": [' not in page.content()  # the payload's JSON, as it was shown

    page.locator("[name=title]").fill("Совместное предприятие по выпуску солнечных панелей")
    page.locator("[name=countries][value=KG]").uncheck()
    page.locator("[name=target_amount]").fill("1200000000")
    page.locator("[name=target_unit]").fill("USD")
    page.locator("[name=target_date]").fill("14.11.2027")
    screenshot("officer-ru-review-new-commitment")
    page.get_by_label("Принять").check()
    save(page, timeout=60_000)  # accepting re-embeds the commitment's profile
    expect(page.locator(".messagelist .success")).to_be_visible()

    made = Commitment.objects.get(suggestions=proposal)
    assert made.title_ru == "Совместное предприятие по выпуску солнечных панелей"
    assert [c.code for c in made.partner_countries.all()] == []
    assert str(made.target_date) == "2027-11-14"
    assert made.target_amount == 1200000000

    # The Russian page shows the title as Russian, without "shown in English".
    page.goto(f"{live_server.url}/ru/commitments/{made.slug}/")
    expect(page.locator("h1")).to_have_text("Совместное предприятие по выпуску солнечных панелей")
    expect(page.locator("h1")).not_to_have_attribute("lang", "en")
    expect(page.locator(".translation-fallback")).to_have_count(0)
    screenshot("officer-ru-new-commitment-public-page")
