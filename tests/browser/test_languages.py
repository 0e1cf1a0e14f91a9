"""A reader switches the public site to Russian (no JavaScript involved) and axe-core checks it;
a Russian-speaking officer's admin and digest. Screenshots go to test-artifacts/screenshots/."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from commitments.models import Commitment, StaffProfile
from commitments.reminders.email import build_digest_email
from tests.support.browser import severe
from tests.support.factories import UserFactory


def test_reader_switches_the_public_site_to_russian(seeded, page, live_server, screenshot, axe):
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()

    expect(page).to_have_url(f"{live_server.url}/ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Обязательства Казахстана и Кыргызстана"
    )
    expect(page.get_by_role("status")).to_contain_text("21 обязательство")
    switcher = page.get_by_role("navigation", name="Язык")
    expect(switcher.get_by_role("link", name="Русский")).to_have_attribute("aria-current", "true")
    screenshot("ru-public-list")
    assert severe(axe("ru-public-list")) == {}

    page.get_by_label("Статус").select_option("in_progress")
    page.get_by_role("button", name="Применить фильтры").click()
    expect(page).to_have_url(
        f"{live_server.url}/ru/?q=&country=&status=in_progress&category=&stale="
        "&progress=&slipped=&diverging="
    )
    expect(page.locator("table.commitments .badge").first).to_have_text("Выполняется")

    page.goto(f"{live_server.url}/ru/commitments/trade-turnover-2bn/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator(".facts")).to_contain_text("2 млрд долларов США")
    expect(page.locator("table.observations")).to_contain_text("757 млн долларов США")
    expect(page.get_by_role("img", name="Ход достижения цели")).to_be_visible()
    screenshot("ru-commitment")
    assert severe(axe("ru-commitment")) == {}

    # Back to English from the same page: the switcher keeps the commitment.
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/commitments/trade-turnover-2bn/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")


def test_russian_officer_sees_admin_and_digest_in_russian(
    seeded, page, live_server, screenshot, admin_login
):
    officer = UserFactory(username="aigerim", first_name="Айгерим", is_superuser=True)
    StaffProfile.objects.create(user=officer, language="ru")
    admin_login(officer)
    commitment = Commitment.objects.get(slug="trade-turnover-2bn")
    page.goto(f"{live_server.url}/admin/commitments/commitment/{commitment.pk}/change/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#content")).to_contain_text("Текущий статус")
    expect(page.locator("#user-tools")).to_contain_text("Язык: Русский")
    screenshot("ru-admin-change")

    stale = list(Commitment.objects.order_by("pk")[:3])
    due = list(Commitment.objects.exclude(target_date=None).order_by("target_date")[:2])
    now = timezone.now() + dt.timedelta(days=60)
    message = build_digest_email(officer, stale, period="2026-11-22", now=now, due=due)
    page.set_content(message.alternatives[0][0])
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("body")).to_contain_text("Здравствуйте, Айгерим!")
    screenshot("ru-digest")
