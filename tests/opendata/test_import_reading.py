"""The safe reader of an imported package: what it refuses before anything is looked up or
saved, each refusal naming the file (and the row and column where there is one)."""

from __future__ import annotations

import io
import zipfile

import pytest

from commitments.opendata import reading
from commitments.opendata.reading import Limits, PackageRefused, read_package

EXPECTED = {"countries.csv": ["code", "name"], "meetings.csv": ["key", "name_en", "held_on"]}
LIMITS = Limits(upload_bytes=20 * 1024 * 1024, unpacked_bytes=100 * 1024 * 1024, ratio=100)


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def refusal(source, name="package.zip", limits=LIMITS) -> str:
    with pytest.raises(PackageRefused) as caught:
        read_package(source, name, EXPECTED, limits)
    return str(caught.value)


def test_it_reads_a_zip_its_tables_by_name_and_rows_numbered_as_a_spreadsheet():
    data = zipped({"countries.csv": b"code,name\r\nKZ,Kazakhstan\r\n\r\nKG,Kyrgyzstan\r\n"})
    package = read_package(io.BytesIO(data), "package.zip", EXPECTED, LIMITS)
    table = package.tables["countries.csv"]
    assert [(row.number, row.values["code"]) for row in table.rows] == [(2, "KZ"), (4, "KG")]
    assert package.descriptor is None


def test_it_reads_a_zipped_folder_and_a_byte_order_mark():
    data = zipped({"export/countries.csv": b"\xef\xbb\xbfcode,name\nKZ,\xd0\x9a\xd0\xb0\xd0\xb7\n"})
    package = read_package(io.BytesIO(data), "package.zip", EXPECTED, LIMITS)
    assert package.tables["countries.csv"].rows[0].values == {"code": "KZ", "name": "Каз"}


def test_a_csv_in_windows_1251_is_named_with_its_line():
    data = "code,name\nKZ,Казахстан\nKG,Кыргызстан\n".encode("cp1251")
    message = refusal(io.BytesIO(data), "countries.csv")
    assert message == (
        "countries.csv: the file is not UTF-8 (it looks like Windows-1251; line 2): "
        "save it as UTF-8."
    )


def test_unknown_and_missing_columns_are_named():
    data = zipped({"meetings.csv": b"key,name,held_on\nx,y,2024-01-01\n"})
    message = refusal(io.BytesIO(data))
    assert "meetings.csv, row 1, column name: a column this table does not have." in message
    assert "meetings.csv, row 1, column name_en: the column is missing." in message


def test_a_row_with_too_many_cells_is_named_by_its_row():
    data = b"code,name\nKZ,Kazakhstan\nKG,Kyrgyz,stan\n"
    message = refusal(io.BytesIO(data), "countries.csv")
    assert message == "countries.csv, row 3: the row has 3 cells where the header has 2."


def test_a_zip_bomb_is_refused_after_reading_a_bounded_part_of_it():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("countries.csv", "w") as entry,
    ):
        entry.write(b"code,name\n")
        for _ in range(64):  # 64 MB of one repeated row, some 64 kB compressed
            entry.write(b"KZ,Kazakhstan\n" * (1024 * 1024 // 14))
    bomb = out.getvalue()
    assert len(bomb) < 1024 * 1024
    message = refusal(io.BytesIO(bomb))
    assert message.startswith("countries.csv: the file inflates far more than a table can")


def test_a_zip_whose_headers_lie_about_the_size_is_still_bounded():
    """The limit counts what comes out: an entry whose header claims a few bytes is stopped when
    its real content passes the unpacked limit."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("countries.csv", b"code,name\n" + b"KZ,Kazakhstan\n" * 200_000)
    data = bytearray(out.getvalue())
    # The central directory's uncompressed size (offset 24 of its entry) rewritten to 10.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    small = Limits(upload_bytes=LIMITS.upload_bytes, unpacked_bytes=1_000_000, ratio=10_000)
    message = refusal(io.BytesIO(bytes(data)), limits=small)
    assert message.startswith("countries.csv: ")


def test_a_file_over_the_limit_is_refused_without_reading_it_all():
    limits = Limits(upload_bytes=100_000, unpacked_bytes=LIMITS.unpacked_bytes, ratio=100)

    class Counting(io.BytesIO):
        taken = 0

        def read(self, size=-1):
            chunk = super().read(size)
            self.taken += len(chunk)
            return chunk

    stream = Counting(b"code,name\n" + b"KZ,Kazakhstan\n" * 1_000_000)
    message = refusal(stream, "countries.csv", limits=limits)
    assert message == (
        "countries.csv: the file is too large (at most 0.1 MB); nothing was read past the limit."
    )
    assert stream.taken <= 100_000 + reading.CHUNK


def test_a_100_mb_file_on_disk_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    path = tmp_path / "package.zip"
    with path.open("wb") as sparse:
        sparse.truncate(100 * 1024 * 1024)

    def never(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(reading, "read_bounded", never)
    message = refusal(path, "package.zip", Limits.from_settings())
    assert message == (
        "package.zip: the file is too large (at most 20.0 MB); nothing was read past the limit."
    )


@pytest.mark.parametrize("name", ["../countries.csv", "/etc/countries.csv", "a\\countries.csv"])
def test_a_name_leaving_the_package_refuses_the_archive(name):
    message = refusal(io.BytesIO(zipped({name: b"code,name\n"})))
    assert "a file name that points outside the package" in message


def test_a_file_that_is_not_part_of_the_package_is_refused():
    data = zipped({"countries.csv": b"code,name\n", "run.sh": b"rm -rf /"})
    assert refusal(io.BytesIO(data)).startswith("run.sh: not a file of this data package")


def test_the_descriptor_names_an_unknown_field_of_a_resource():
    descriptor = (
        b'{"resources": [{"path": "countries.csv", "schema": {"fields": '
        b'[{"name": "code"}, {"name": "name"}, {"name": "flag"}]}}]}'
    )
    data = zipped({"datapackage.json": descriptor, "countries.csv": b"code,name\n"})
    assert refusal(io.BytesIO(data)) == (
        "datapackage.json: countries.csv, column flag: a column this table does not have."
    )
