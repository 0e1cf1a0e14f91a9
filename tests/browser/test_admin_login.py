from playwright.sync_api import expect

from tests.support.factories import CommitmentFactory, UserFactory


def test_staff_member_logs_in_and_reaches_the_commitments_list(
    transactional_db, page, live_server, admin_login
):
    CommitmentFactory(title="Build the Tash-Kumyr ferroalloy plant")
    admin_login(UserFactory(username="kz-officer", is_superuser=True, countries=["KZ"]))

    page.locator("tr.model-commitment th a").click()

    expect(page.get_by_role("link", name="Build the Tash-Kumyr ferroalloy plant")).to_be_visible()
