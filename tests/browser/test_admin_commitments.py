import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from commitments import rules
from commitments.models import Commitment, Evidence, StatusChange
from commitments.rules import Status
from tests.support.admin import staff_user
from tests.support.factories import CommitmentFactory, SourceFactory

QUOTE = "agreed to build a trade and logistics complex"


def test_staff_member_updates_a_stale_commitment(
    transactional_db, page, live_server, admin_login, screenshot
):
    long_ago = timezone.now() - dt.timedelta(days=60)
    stale = CommitmentFactory(
        title="Build the border logistics complex", partners=["KG"], last_reviewed_at=long_ago
    )
    CommitmentFactory(title="Freshly reviewed plan")
    source = SourceFactory(title="Kabar: council meets in Bishkek")
    officer = staff_user("KZ", username="kz-officer")
    admin_login(officer)

    page.locator("tr.model-commitment th a").click()
    page.locator("#changelist-filter").get_by_role("link", name="Stale", exact=True).click()
    expect(page.get_by_role("link", name="Build the border logistics complex")).to_be_visible()
    expect(page.get_by_role("link", name="Freshly reviewed plan")).to_have_count(0)
    expect(page.locator(".stale-marker")).to_have_count(1)
    screenshot("admin-changelist-stale")

    page.get_by_role("link", name="Build the border logistics complex").click()
    page.get_by_label("New status").select_option("agreed")
    page.get_by_label("Status note").fill("Signed at the council session of 5 December.")
    page.get_by_role("button", name="Add another Evidence").click()
    page.locator("select[name='evidence-0-source']").select_option(str(source.pk))
    page.locator("textarea[name='evidence-0-quote']").fill(QUOTE)
    page.locator("input[name='evidence-0-url']").fill("https://kabar.kg/news/council")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect(page.locator(".current-status")).to_have_text("Agreed")
    history = page.locator("#status_changes-group")
    expect(history).to_contain_text("Signed at the council session of 5 December.")
    expect(history).to_contain_text("kz-officer")
    expect(page.locator("#evidence-group")).to_contain_text(QUOTE)
    screenshot("admin-change-page-after-update")

    stale.refresh_from_db()
    assert stale.status == Status.AGREED
    assert not stale.is_stale()
    assert Evidence.objects.get(commitment=stale).added_by == officer
    assert StatusChange.objects.get(commitment=stale).changed_by == officer


def test_forbidden_transition_shows_its_message(
    transactional_db, page, live_server, admin_login, screenshot
):
    done = CommitmentFactory(title="Completed water monitoring", status=Status.COMPLETED)
    admin_login(staff_user("KZ", username="kz-officer"))

    page.goto(f"{live_server.url}/admin/commitments/commitment/")
    page.locator(f"input.action-select[value='{done.pk}']").check()
    page.locator("select[name='action']").select_option("change_status")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("New status").select_option("agreed")
    page.get_by_label("Status note").fill("Reopened by mistake.")
    page.get_by_role("button", name="Change status").click()

    error = page.locator(".messagelist .error")
    expect(error).to_contain_text("Refused 1 (not moved to Agreed)")
    expect(error).to_contain_text("“Completed” is final")
    screenshot("admin-forbidden-transition")
    assert Commitment.objects.get(pk=done.pk).status == Status.COMPLETED
    assert not StatusChange.objects.exists()


def test_forbidden_move_on_the_change_page_names_the_allowed_moves(
    transactional_db, page, live_server, admin_login
):
    commitment = CommitmentFactory(title="Ferroalloy plant", status=Status.ANNOUNCED)
    admin_login(staff_user("KZ", username="kz-officer"))
    page.goto(f"{live_server.url}/admin/commitments/commitment/{commitment.pk}/change/")
    # The page offers only allowed moves; a crafted value still meets the rules, not the widget.
    page.locator("select[name='new_status']").evaluate(
        "s => { s.add(new Option('Completed', 'completed')); s.value = 'completed'; }"
    )
    page.get_by_label("Status note").fill("Skipping ahead.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errorlist")).to_contain_text(
        str(rules.transition_refusal("announced", "completed"))
    )
    assert Commitment.objects.get(pk=commitment.pk).status == Status.ANNOUNCED
