"""The public record as a Frictionless Data Package: valid, complete, private things left out,
the same bytes for the same record."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from frictionless import Package, system

from commitments.opendata import exporting, schema


def build() -> bytes:
    buffer = io.BytesIO()
    exporting.write_package(buffer)
    return buffer.getvalue()


def tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            r.name: list(csv.DictReader(io.StringIO(archive.read(r.path).decode("utf-8"))))
            for r in schema.RESOURCES
        }


@pytest.fixture
def package(seeded) -> bytes:
    return build()


def test_the_seeded_package_passes_frictionless_validation(package, tmp_path):
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        archive.extractall(tmp_path)
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    errors = [e.message for task in report.tasks for e in task.errors] + [
        e.message for e in report.errors
    ]
    assert errors == []
    assert report.valid
