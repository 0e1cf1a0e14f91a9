"""The admin's exports of selected commitments: the open data's commitments table, as CSV and as
a spreadsheet, with cells a spreadsheet will not run as formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from commitments.models import Commitment
from commitments.opendata import exporting, schema
from tests.support.admin import changelist_url, logged_in_staff
from tests.support.factories import CommitmentFactory


@pytest.fixture
def officer(client, kz, kg):
    return logged_in_staff(client, "KZ")


def run(client, action: str, commitments):
    return client.post(
        changelist_url(),
        {"action": action, "_selected_action": [c.pk for c in commitments]},
    )


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_admin_csv_is_the_packages_commitments_table_for_the_selection(client, officer):
    chosen = [
        CommitmentFactory(title="Logistics complex", partners=["KG"]),
        CommitmentFactory(title="Water sharing", target_amount=Decimal("2.5"), target_unit="km"),
    ]
    CommitmentFactory(title="Not selected")
    package = io.StringIO()
    exporting.write_csv(
        schema.COMMITMENTS, package, Commitment.objects.filter(pk__in=[c.pk for c in chosen])
    )

    response = run(client, "export_csv", chosen)

    assert b"".join(response.streaming_content).decode() == package.getvalue()


def test_the_spreadsheet_has_the_same_columns_with_typed_cells(client, officer):
    commitment = CommitmentFactory(
        title="Water sharing",
        partners=["KG"],
        target_amount=Decimal("2000000000"),
        target_unit="USD",
        target_date=dt.date(2027, 12, 31),
    )

    header, row = xlsx_rows(run(client, "export_xlsx", [commitment]))

    assert header == schema.COMMITMENTS.header
    cells = dict(zip(header, row, strict=True))
    assert cells["slug"] == commitment.slug
    assert cells["title_en"] == "Water sharing"
    assert cells["partner_countries"] == "KG"
    assert cells["target_amount"] == 2000000000
    assert cells["target_date"].date() == dt.date(2027, 12, 31)
    assert cells["positions_diverge"] is False


def test_no_cell_of_either_export_runs_as_a_formula(client, officer):
    risky = CommitmentFactory(
        title='=HYPERLINK("http://evil")', target_unit="@SUM", target_amount=5
    )

    csv_row = next(
        csv.DictReader(
            io.StringIO(b"".join(run(client, "export_csv", [risky]).streaming_content).decode())
        )
    )
    header, row = xlsx_rows(run(client, "export_xlsx", [risky]))
    cells = dict(zip(header, row, strict=True))

    assert csv_row["title_en"] == '\'=HYPERLINK("http://evil")'
    assert csv_row["target_unit"] == "'@SUM"
    # A spreadsheet's own text cells: shown as typed, never evaluated.
    assert cells["title_en"] == '=HYPERLINK("http://evil")'
    workbook = load_workbook(
        io.BytesIO(run(client, "export_xlsx", [risky]).content), read_only=False
    )
    title_cell = workbook.active.cell(row=2, column=header.index("title_en") + 1)
    assert title_cell.data_type == "s"


def test_the_spreadsheets_queries_do_not_grow_with_rows(client, officer):
    few = [CommitmentFactory(partners=["KG"]) for _ in range(2)]
    many = few + [CommitmentFactory(partners=["KG"]) for _ in range(30)]
    client.get("/admin/")  # a first visit keeps the admin's language on the profile, once

    counts = []
    for selection in (few, many):
        with CaptureQueriesContext(connection) as captured:
            assert len(xlsx_rows(run(client, "export_xlsx", selection))) == len(selection) + 1
        counts.append(len(captured))

    assert counts[0] == counts[1]
