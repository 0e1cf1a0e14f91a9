from tests.factories import CommitmentFactory, UserFactory


def test_staff_member_logs_in_and_reaches_the_commitments_list(
    transactional_db, page, live_server, admin_login
):
    CommitmentFactory(title="Build the Tash-Kumyr ferroalloy plant")
    admin_login(UserFactory(username="kz-officer", is_superuser=True, countries=["KZ"]))

    page.locator("tr.model-commitment th a").click()

    assert "Build the Tash-Kumyr ferroalloy plant" in page.content()
