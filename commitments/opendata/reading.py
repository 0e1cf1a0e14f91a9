"""Reading a data package someone hands us, safely: a zip, a folder or one CSV file.

Nothing here trusts the input. The file's size is checked before it is read (a 100 MB upload is
refused after the first 20 MB at most); a zip's entries are inflated in bounded chunks, counting
what actually comes out rather than what the headers claim, so a zip bomb stops at the limit;
only the package's own file names are read (no path leaves the package, nothing else is
opened); text must be UTF-8, and a spreadsheet saved in Windows-1251 is named as such, with the
line where it fails. Each refusal is a `Problem` naming the file, and the row and column where
there is one.

This module knows the package's shape only through `expected` (file name -> columns), so it
reads any table the schema declares and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy

from .. import messages
from ..formatting import format_size

DESCRIPTOR = "datapackage.json"
# Files an exported package may carry beside its tables; skipped unread.
DOCUMENTATION = ("README.md", "README.txt", "LICENSE", "LICENSE.txt", "LICENSE.md")
CHUNK = 64 * 1024
BOM = b"\xef\xbb\xbf"
# Below this many bytes out, an entry's compression ratio says nothing (a short, repetitive CSV
# may well shrink a hundredfold); above it, a ratio past the limit is a bomb.
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    unpacked_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            upload_bytes=settings.OPENDATA_IMPORT_MAX_UPLOAD_BYTES,
            unpacked_bytes=settings.OPENDATA_IMPORT_MAX_UNPACKED_BYTES,
            ratio=settings.OPENDATA_IMPORT_MAX_RATIO,
        )


@dataclass(frozen=True)
class Problem:
    """Why (part of) the package is refused, and where: file, row (as a spreadsheet numbers it,
    the header being row 1) and column, each when known."""

    file: str
    reason: str | Promise
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        values = {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}
        if self.row is not None and self.column:
            return str(format_lazy(messages.IMPORT_AT_CELL, **values))
        if self.row is not None:
            return str(format_lazy(messages.IMPORT_AT_ROW, **values))
        if self.column:
            return str(format_lazy(messages.IMPORT_AT_COLUMN, **values))
        return str(format_lazy(messages.IMPORT_AT_FILE, **values))


class PackageRefused(Exception):
    """The package cannot be read; `problems` say where and why. Nothing was saved."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]


@dataclass
class Table:
    file: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Package:
    """What was read: the descriptor (None for a lone CSV or a folder without one) and the tables
    by file name (only those present)."""

    name: str
    descriptor: dict[str, Any] | None
    tables: dict[str, Table]


def _refuse(file: str, reason, **where) -> PackageRefused:
    return PackageRefused([Problem(file, reason, **where)])


def _too_large(file: str, limit: int) -> PackageRefused:
    reason = format_lazy(messages.IMPORT_TOO_LARGE, limit=format_size(limit / 1024 / 1024))
    return _refuse(file, reason)


# --- Bytes in, within the limits ------------------------------------------------------------------


def read_bounded(stream: IO[bytes], name: str, limit: int) -> bytes:
    """At most `limit` bytes of `stream`; refuses as soon as one more arrives, never holding more
    than a chunk past the limit."""
    out = bytearray()
    while chunk := stream.read(CHUNK):
        out += chunk
        if len(out) > limit:
            raise _too_large(name, limit)
    return bytes(out)


def _entry_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int, limits):
    """One entry inflated in chunks: refused past the package's remaining `budget` of unpacked
    bytes, or when it inflates more than `limits.ratio` times its compressed size."""
    if info.flag_bits & 0x1:
        raise _refuse(name, messages.IMPORT_ENCRYPTED)
    compressed = max(info.compress_size, 1)
    out = bytearray()
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                out += chunk
                if len(out) > budget:
                    raise _too_large(name, limits.unpacked_bytes)
                if len(out) > RATIO_FLOOR and len(out) / compressed > limits.ratio:
                    raise _refuse(name, messages.IMPORT_BOMB)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise _refuse(name, messages.IMPORT_BAD_ZIP) from exc
    return bytes(out)


def _safe_name(name: str) -> str | None:
    """The entry's name as a relative POSIX path inside the package, or None if it could leave
    it (absolute, `..`, a drive, a backslash)."""
    if not name or "\\" in name or name.startswith("/") or ":" in name or "\x00" in name:
        return None
    path = PurePosixPath(name)
    if any(part in ("..", ".") for part in path.parts):
        return None
    return str(path)


def _zip_files(data: bytes, label: str, wanted: set[str], limits: Limits) -> dict[str, bytes]:
    """The package's files from a zip: `wanted` names (with one optional top folder, as a zipped
    folder has), documentation skipped, anything else refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(label, messages.IMPORT_BAD_ZIP) from exc
    if len(infos) > MAX_ENTRIES:
        raise _refuse(label, messages.IMPORT_TOO_MANY_FILES)
    files = [info for info in infos if not info.is_dir()]
    names = {}
    for info in files:
        safe = _safe_name(info.filename)
        if safe is None:
            raise _refuse(f"{label}: {info.filename}", messages.IMPORT_UNSAFE_NAME)
        names[info.filename] = safe
    prefix = _common_folder(list(names.values()), wanted)
    out: dict[str, bytes] = {}
    budget = limits.unpacked_bytes
    for info in files:
        inner = names[info.filename][len(prefix) :]
        if PurePosixPath(inner).name in DOCUMENTATION and inner not in wanted:
            continue
        if inner not in wanted:
            raise _refuse(inner or info.filename, messages.IMPORT_UNEXPECTED_FILE)
        # The headers' word is enough to refuse, never to accept (`_entry_bytes` counts).
        claimed = info.file_size
        if claimed > RATIO_FLOOR and claimed / max(info.compress_size, 1) > limits.ratio:
            raise _refuse(inner, messages.IMPORT_BOMB)
        if claimed > budget:
            raise _too_large(inner, limits.unpacked_bytes)
        out[inner] = _entry_bytes(archive, info, inner, budget, limits)
        budget -= len(out[inner])
    return out


def _common_folder(names: list[str], wanted: set[str]) -> str:
    """ "folder/" when every file sits in that one folder and none is where we expect it (a zipped
    folder), else ""."""
    if not names or any(name in wanted for name in names):
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return f"{tops.pop()}/"
    return ""


def _folder_files(folder: Path, wanted: set[str], limits: Limits) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    budget = limits.unpacked_bytes
    for name in sorted(wanted):
        path = folder / name
        if not path.is_file():
            continue
        if path.stat().st_size > min(limits.upload_bytes, budget):
            raise _too_large(name, min(limits.upload_bytes, budget))
        with path.open("rb") as stream:
            out[name] = read_bounded(stream, name, min(limits.upload_bytes, budget))
        budget -= len(out[name])
    return out


def package_files(
    source: Path | IO[bytes], name: str, wanted: set[str], limits: Limits | None = None
) -> dict[str, bytes]:
    """The package's files by name: from a zip (a path or an open binary file), a folder, or one
    CSV file (by its own name)."""
    limits = limits or Limits.from_settings()
    if isinstance(source, Path) and source.is_dir():
        return _folder_files(source, wanted, limits)
    if isinstance(source, Path):
        if not source.is_file():
            raise _refuse(name, messages.IMPORT_NOT_FOUND)
        if source.stat().st_size > limits.upload_bytes:
            raise _too_large(name, limits.upload_bytes)
        with source.open("rb") as stream:
            data = read_bounded(stream, name, limits.upload_bytes)
    else:
        data = read_bounded(source, name, limits.upload_bytes)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_files(data, name, wanted, limits)
    base = PurePosixPath(name.replace("\\", "/")).name
    for path in wanted:
        if PurePosixPath(path).name == base and base != DESCRIPTOR:
            return {path: data}
    raise _refuse(name, messages.IMPORT_WRONG_KIND)


# --- Text and tables --------------------------------------------------------------------------


def _looks_like_windows_1251(data: bytes) -> bool:
    """Mostly Cyrillic letters once read as Windows-1251: a Russian, Kazakh or Kyrgyz spreadsheet
    saved in the old Windows encoding."""
    text = data.decode("cp1251", errors="replace")
    foreign = [c for c in text if ord(c) > 127]
    cyrillic = [c for c in foreign if "\u0400" <= c <= "\u04ff"]
    return bool(foreign) and len(cyrillic) >= 0.8 * len(foreign)


def decode(data: bytes, file: str) -> str:
    """The file's text: UTF-8 (a byte-order mark allowed), or a refusal naming the line."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            reason = messages.IMPORT_UTF16
        elif _looks_like_windows_1251(data):
            reason = messages.IMPORT_WINDOWS_1251
        else:
            reason = messages.IMPORT_NOT_UTF8
        raise _refuse(file, format_lazy(reason, line=line)) from exc


def _records(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """The CSV's records with their row numbers (blank lines skipped)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for record in reader:
            number += 1
            if record and any(cell for cell in record):
                yield number, record
    except csv.Error as exc:
        reason = format_lazy(messages.IMPORT_BAD_CSV, error=str(exc))
        raise _refuse(file, reason, row=number + 1) from exc


def read_table(
    data: bytes, file: str, columns: Sequence[str], optional: Sequence[str] = ()
) -> Table:
    """A CSV file as rows of named cells, its header checked against `columns` (an unknown,
    missing or repeated column is named); the `optional` columns may be there or not."""
    text = decode(data, file)
    # One cell may hold a source's whole text; the file's size is the bound that matters.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    records = _records(text, file)
    first = next(records, None)
    if first is None:
        raise _refuse(file, messages.IMPORT_EMPTY_FILE)
    header = [name.strip() for name in first[1]]
    problems = [
        Problem(file, messages.IMPORT_UNKNOWN_COLUMN, row=1, column=name)
        for name in header
        if name not in columns and name not in optional
    ]
    problems += [
        Problem(file, messages.IMPORT_MISSING_COLUMN, row=1, column=name)
        for name in columns
        if name not in header
    ]
    problems += [
        Problem(file, messages.IMPORT_REPEATED_COLUMN, row=1, column=name)
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    if problems:
        raise PackageRefused(problems)
    table = Table(file, header)
    for number, record in records:
        if len(record) != len(header):
            reason = format_lazy(messages.IMPORT_CELL_COUNT, cells=len(record), columns=len(header))
            raise _refuse(file, reason, row=number)
        table.rows.append(Row(number, dict(zip(header, record, strict=True))))
    return table


def read_descriptor(
    data: bytes,
    expected: Mapping[str, Sequence[str]],
    optional: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """`datapackage.json`, its resources checked against ours: each a known file, with our
    columns (by the names its schema gives), and perhaps its `optional` ones."""
    optional = optional or {}
    try:
        descriptor = json.loads(decode(data, DESCRIPTOR))
    except json.JSONDecodeError as exc:
        reason = format_lazy(messages.IMPORT_BAD_JSON, line=exc.lineno, error=exc.msg)
        raise _refuse(DESCRIPTOR, reason) from exc
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise _refuse(DESCRIPTOR, messages.IMPORT_NO_RESOURCES)
    problems = []
    for index, resource in enumerate(resources):
        path = resource.get("path") if isinstance(resource, dict) else None
        where = f"{DESCRIPTOR}: resources[{index}]"
        if path not in expected:
            problems.append(Problem(where, messages.IMPORT_UNKNOWN_RESOURCE, column=str(path)))
            continue
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list):
            continue  # the CSV's own header is checked in any case
        names = [f.get("name") for f in fields if isinstance(f, dict)]
        problems += [
            Problem(f"{DESCRIPTOR}: {path}", messages.IMPORT_UNKNOWN_COLUMN, column=str(name))
            for name in names
            if name not in expected[path] and name not in optional.get(path, ())
        ]
        problems += [
            Problem(f"{DESCRIPTOR}: {path}", messages.IMPORT_MISSING_COLUMN, column=name)
            for name in expected[path]
            if name not in names
        ]
    if problems:
        raise PackageRefused(problems)
    return descriptor


def read_package(
    source: Path | IO[bytes],
    name: str,
    expected: Mapping[str, Sequence[str]],
    limits: Limits | None = None,
    optional: Mapping[str, Sequence[str]] | None = None,
) -> Package:
    """The package at `source` (a zip, a folder, one CSV), read within the limits and checked
    against `expected` (file name -> its columns; `optional`: columns a file may add). Raises
    PackageRefused with every problem of the first file that has any."""
    optional = optional or {}
    files = package_files(source, name, {DESCRIPTOR, *expected}, limits)
    descriptor = None
    if DESCRIPTOR in files:
        descriptor = read_descriptor(files.pop(DESCRIPTOR), expected, optional)
    if not files:
        raise _refuse(name, messages.IMPORT_NO_TABLES)
    tables = {
        file: read_table(files[file], file, expected[file], optional.get(file, ()))
        for file in expected
        if file in files
    }
    return Package(name, descriptor, tables)
