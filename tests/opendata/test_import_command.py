"""`manage.py import_datapackage`: the plan it prints, its exit codes, and each bad input refused
with a message naming the file, the row and the column, with nothing saved."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.events.models import Event
from commitments.models import Commitment
from tests.opendata.packages import edited, export, only, read_rows
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(db):
    return UserFactory(username="importer", is_superuser=True)


@pytest.fixture
def package(seeded):
    return export()


def run(path, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_datapackage", str(path), *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(str(exc))
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def saved(tmp_path, data: bytes, name="package.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


class Unchanged:
    """The record as it was: titles, versions and the event count."""

    def __init__(self):
        self.state = self.read()

    @staticmethod
    def read():
        rows = Commitment.objects.values_list("slug", "title_en", "status", "version")
        return sorted(rows), Event.objects.count()

    def holds(self) -> bool:
        return self.read() == self.state


def first_commitment_row(package: bytes) -> tuple[int, dict]:
    return 2, read_rows(package, "commitments")[0]


def test_a_dry_run_prints_the_plan_and_exits_0(tmp_path, package, importer):
    slug = read_rows(package, "commitments")[0]["slug"]

    def retitle(rows):
        rows[0]["title_en"] = "A new English title"

    path = saved(tmp_path, edited(package, commitments=retitle))
    unchanged = Unchanged()

    code, out, err = run(path, "--dry-run", "--as", "importer")

    assert code == 0, err
    lines = out.splitlines()
    assert "data/commitments.csv: 0 to create, 1 to change, 20 unchanged, 0 refused." in lines
    assert any(
        line.startswith(f"data/commitments.csv, row 2 ({slug}): to change title_en: ")
        and line.endswith("→ A new English title.")
        for line in lines
    )
    assert lines[-1] == "Dry run: nothing was saved."
    assert unchanged.holds()


def test_an_import_prints_what_it_saved(tmp_path, package, importer):
    def retitle(rows):
        rows[0]["title_en"] = "A new English title"

    code, out, _ = run(saved(tmp_path, edited(package, commitments=retitle)), "--as", "importer")

    assert code == 0
    assert out.splitlines()[-1] == "Imported: every change above is saved."
    assert Commitment.objects.filter(title_en="A new English title").count() == 1


def test_the_importer_must_be_named(tmp_path, package):
    code, _, err = run(saved(tmp_path, package), "--as", "nobody")
    assert code == 1
    assert "No active user named nobody." in err


def test_a_wrong_type_names_file_row_and_column_and_saves_nothing(tmp_path, package, importer):
    def two_billion(rows):
        rows[0]["target_amount"] = "two billion"
        rows[1]["title_en"] = "A change that must not be saved"

    unchanged = Unchanged()
    code, out, err = run(
        saved(tmp_path, edited(package, commitments=two_billion)), "--as", "importer"
    )

    assert code == 1
    assert (
        "data/commitments.csv, row 2, column target_amount: “two billion” is not a number such "
        "as 1500000.00." in out.splitlines()
    )
    assert "Nothing was saved: the package has refused rows (above)." in err
    assert unchanged.holds()


def test_an_unknown_foreign_key_is_named(tmp_path, package, importer):
    def elsewhere(rows):
        rows[0]["uid"] = "6b0d1c52-0000-4000-8000-000000000002"  # a new row
        rows[0]["commitment"] = "no-such-commitment"

    unchanged = Unchanged()
    code, out, _ = run(saved(tmp_path, edited(package, evidence=elsewhere)), "--as", "importer")

    assert code == 1
    assert (
        "data/evidence.csv, row 2, column commitment: no such row, in the package or in the "
        "record." in out.splitlines()
    )
    assert unchanged.holds()


def test_an_unknown_column_is_named(tmp_path, package, importer):
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        text = archive.read("data/countries.csv").decode()
    header, rest = text.split("\r\n", 1)
    bad = (header + ",flag\r\n" + rest.replace("\r\n", ",x\r\n")).encode()
    unchanged = Unchanged()

    code, _, err = run(saved(tmp_path, only(package, "countries", bad)), "--as", "importer")

    assert code == 1
    assert "data/countries.csv, row 1, column flag: a column this table does not have." in err
    assert "Nothing was saved: the package cannot be read." in err
    assert unchanged.holds()


def test_a_quote_not_in_its_source_is_refused(tmp_path, package, importer):
    evidence = read_rows(package, "evidence")
    target = next(row for row in evidence if row["quote"])

    def broken(rows):
        for row in rows:
            if row["uid"] == target["uid"]:
                row["uid"] = "6b0d1c52-0000-4000-8000-000000000001"  # a new row
                row["quote"] = "Words the article never printed."

    unchanged = Unchanged()
    code, out, _ = run(saved(tmp_path, edited(package, evidence=broken)), "--as", "importer")

    assert code == 1
    assert any(
        line.startswith("data/evidence.csv, row ")
        and ", column quote: This quote does not occur verbatim in the source's text." in line
        for line in out.splitlines()
    )
    assert unchanged.holds()


def test_a_csv_in_windows_1251_is_refused_naming_the_file_and_line(tmp_path, package, importer):
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        text = archive.read("data/commitments.csv").decode()
    path = saved(tmp_path, text.encode("cp1251", errors="replace"), "commitments.csv")
    line = next(n for n, row in enumerate(text.split("\r\n"), start=1) if not row.isascii())

    code, _, err = run(path, "--as", "importer")

    assert code == 1
    assert (
        f"data/commitments.csv: the file is not UTF-8 (it looks like Windows-1251; line {line}): "
        "save it as UTF-8." in err
    )


def test_a_zip_bomb_is_refused(tmp_path, importer, db):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("data/countries.csv", "w") as entry,
    ):
        entry.write(b"code,name\r\n")
        for _ in range(200):  # 200 MB of one row repeated, some 200 kB compressed
            entry.write(b"KZ,Kazakhstan\r\n" * (1024 * 1024 // 15))

    code, _, err = run(saved(tmp_path, out.getvalue()), "--as", "importer")

    assert code == 1
    assert "data/countries.csv: the file inflates far more than a table can" in err


def test_a_file_over_the_limit_is_refused(tmp_path, package, importer, settings):
    settings.OPENDATA_IMPORT_MAX_UPLOAD_BYTES = 100_000
    code, _, err = run(saved(tmp_path, package + b"\0" * 100_000), "--as", "importer")
    assert code == 1
    assert (
        "package.zip: the file is too large (at most 0.1 MB); nothing was read past the limit."
        in err
    )


def test_a_country_the_importer_may_not_edit_is_refused(tmp_path, package, db):
    UserFactory(username="uz-officer", countries=["UZ"])

    def retitle(rows):
        rows[0]["title_en"] = "A new English title"

    unchanged = Unchanged()
    code, out, _ = run(saved(tmp_path, edited(package, commitments=retitle)), "--as", "uz-officer")

    assert code == 1
    assert (
        "data/commitments.csv, row 2: You may change only commitments that your country owns or "
        "is a partner in." in out.splitlines()
    )
    assert unchanged.holds()


def test_a_package_that_changes_nothing_says_so(tmp_path, package, importer):
    code, out, _ = run(saved(tmp_path, package), "--as", "importer")
    assert code == 0
    assert out.splitlines()[-1] == "The package changes nothing in the record."


def test_a_lone_commitments_table_as_a_ministry_saves_it_is_imported(tmp_path, package, importer):
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        text = archive.read("data/commitments.csv").decode()
    slug = read_rows(package, "commitments")[1]["slug"]
    old = Commitment.objects.get(slug=slug).title_en
    path = saved(
        tmp_path,
        ("\ufeff" + text.replace(old, "Retitled in a spreadsheet")).encode(),
        "commitments.csv",
    )

    code, out, _ = run(path, "--as", "importer")

    assert code == 0
    assert "data/commitments.csv: 0 to create, 1 to change, 20 unchanged, 0 refused." in out
    assert Commitment.objects.get(slug=slug).title_en == "Retitled in a spreadsheet"
