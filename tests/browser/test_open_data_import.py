"""The admin's import in a browser: from the commitments list to the dry run's plan, then Apply;
the plan page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commitments.models import Commitment, StaffProfile
from tests.opendata.packages import edited, export, read_rows
from tests.support.admin import staff_user

pytestmark = pytest.mark.browser

NEW_TITLE = "Trade turnover of three billion dollars, as the ministry words it"


def test_an_officer_imports_a_package_dry_run_first(
    transactional_db,
    seeded,
    page,
    live_server,
    admin_login,
    screenshot,
    axe,
    tmp_path,
):
    package = export()
    slug = read_rows(package, "commitments")[0]["slug"]

    def retitle(rows):
        rows[0]["title_en"] = NEW_TITLE

    path = tmp_path / "ministry.zip"
    path.write_bytes(edited(package, commitments=retitle))
    officer = staff_user("KZ", username="importing-officer")
    admin_login(officer)

    page.goto(f"{live_server.url}/admin/commitments/commitment/")
    page.get_by_role("link", name="Import a data package").click()
    page.get_by_label("Data package").set_input_files(str(path))
    page.get_by_role("button", name="Dry run").click()

    plan = page.locator(".import-plan")
    expect(plan).to_contain_text("data/commitments.csv: 0 to create, 1 to change, 20 unchanged")
    expect(page.locator(".import-changed li")).to_have_count(1)
    expect(page.locator(".import-changed li")).to_contain_text(f"({slug}): to change title_en:")
    assert Commitment.objects.get(slug=slug).title_en != NEW_TITLE
    screenshot("admin-import-plan")
    violations = axe("admin-import-plan")
    # Django's own breadcrumbs (on every admin page) are left to the lead, as elsewhere.
    assert not [
        node["target"]
        for impact in ("serious", "critical")
        for v in violations.get(impact, [])
        for node in v["nodes"]
        if not (v["id"] == "link-in-text-block" and node["target"][0].startswith(".breadcrumbs"))
    ]

    page.get_by_role("button", name="Apply this plan").click()

    expect(page.locator(".messagelist .success")).to_contain_text(
        "Imported: every change above is saved."
    )
    assert Commitment.objects.get(slug=slug).title_en == NEW_TITLE


def test_a_refused_row_is_shown_in_russian_and_nothing_can_be_applied(
    transactional_db,
    seeded,
    page,
    live_server,
    admin_login,
    screenshot,
    tmp_path,
):
    package = export()
    broken = next(row for row in read_rows(package, "evidence") if row["quote"])

    def break_quote(rows):
        for row in rows:
            if row["uid"] == broken["uid"]:
                row["uid"] = "6b0d1c52-0000-4000-8000-000000000003"
                row["quote"] = "Слова, которых в статье нет."

    path = tmp_path / "ministry.zip"
    path.write_bytes(edited(package, evidence=break_quote))
    officer = staff_user("KZ", username="russian-officer")
    StaffProfile.objects.create(user=officer, language="ru")
    admin_login(officer)

    page.goto(f"{live_server.url}/admin/opendata/import/")
    page.get_by_label("Пакет данных").set_input_files(str(path))
    page.get_by_role("button", name="Предварительная проверка").click()

    refused = page.locator(".import-refused li")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("data/evidence.csv, строка ")
    expect(refused).to_contain_text(", столбец quote: ")
    expect(page.get_by_role("button", name="Применить этот план")).to_have_count(0)
    screenshot("admin-import-refused-ru")
