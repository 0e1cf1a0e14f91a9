"""Data packages for the import tests: the seeded record exported, and copies of it with edits."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

from commitments.opendata import exporting

Rows = list[dict[str, str]]


def export() -> bytes:
    out = io.BytesIO()
    exporting.write_package(out)
    return out.getvalue()


def read_rows(package: bytes, name: str) -> Rows:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        text = archive.read(f"data/{name}.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def edited(package: bytes, **edits: Callable[[Rows], Rows | None]) -> bytes:
    """A copy of `package` whose tables named in `edits` are rewritten by them (each gets the
    table's rows, edits them in place or returns new ones)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            name = info.filename.removeprefix("data/").removesuffix(".csv")
            if name in edits:
                text = data.decode("utf-8")
                header = next(csv.reader(io.StringIO(text, newline="")))
                rows = list(csv.DictReader(io.StringIO(text, newline="")))
                rows = edits[name](rows) or rows
                stream = io.StringIO(newline="")
                writer = csv.DictWriter(stream, header, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(rows)
                data = stream.getvalue().encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


def only(package: bytes, name: str, data: bytes | None = None) -> bytes:
    """A zip of one table of `package` (or `data` in its place), without the descriptor."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        data = data if data is not None else source.read(f"data/{name}.csv")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(f"data/{name}.csv", data)
    return out.getvalue()
