"""The public record as a Frictionless Data Package: valid for frictionless, every table filled
and its keys resolving, internal notes and people left out, the same bytes for the same record,
and a number of queries that does not grow with the record."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import Package, system

from commitments import services
from commitments.models import Commitment, Evidence, Source
from commitments.opendata import exporting, schema
from tests.support.factories import UserFactory, create_commitment

INTERNAL_NOTE = "Internal: the ministry asked us not to publish this figure yet"
EMAIL = "aigerim.secret@example.kz"
USERNAME = "aigerim-secretariat"


def build() -> bytes:
    buffer = io.BytesIO()
    exporting.write_package(buffer)
    return buffer.getvalue()


def files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    content = files(data)
    return {
        r.name: list(csv.DictReader(io.StringIO(content[r.path].decode("utf-8"))))
        for r in schema.RESOURCES
    }


def validation_errors(data: bytes, folder) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    return [f"{task.name}: {e.message}" for task in report.tasks for e in task.errors] + [
        e.message for e in report.errors
    ]


@pytest.fixture
def record(seeded):
    """The seed record, with what it lacks for every table to have rows (a party's position, a
    postponed target date), and the private things that must not leave: a reviewer's internal
    note, a responsible officer with an email, who recorded what."""
    officer = UserFactory(username=USERNAME, email=EMAIL, is_superuser=True)
    commitment = Commitment.objects.filter(target_date__isnull=False).order_by("slug").first()
    commitment.partner_countries.add("KG")
    services.commitment_update(
        commitment=commitment,
        actor=officer,
        data={"notes": INTERNAL_NOTE, "responsible_users": [officer]},
    )
    source = Source.objects.order_by("published_on", "title").first()
    services.commitment_update(
        commitment=Commitment.objects.get(pk=commitment.pk),
        actor=officer,
        data={"target_date": commitment.target_date + dt.timedelta(days=365)},
        target_date_reason="The parties moved the deadline by a year.",
        target_date_source=source,
    )
    services.party_position_record(
        commitment=Commitment.objects.get(pk=commitment.pk),
        actor=officer,
        country="KG",
        status="in_progress",
        reported_on=dt.date(2024, 12, 5),
        note="Reported by the Kyrgyz side.",
    )
    return commitment


@pytest.fixture
def package(record) -> bytes:
    return build()


def test_the_package_passes_frictionless_validation(package, tmp_path):
    assert validation_errors(package, tmp_path) == []


def test_frictionless_checks_the_keys_a_broken_package_fails(package, tmp_path):
    # The validation above is worth something only if it checks the foreign keys: an evidence
    # row pointing at no commitment must fail it.
    content = files(package)
    evidence = content["data/evidence.csv"].decode("utf-8")
    first = evidence.splitlines()[1].split(",")[1]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in content.items():
            if name == "data/evidence.csv":
                data = evidence.replace(f",{first},", ",no-such-commitment,", 1).encode()
            archive.writestr(name, data)

    errors = validation_errors(broken.getvalue(), tmp_path)

    assert any("foreign" in e.lower() and "no-such-commitment" in e for e in errors), errors


def test_every_table_has_its_rows_and_every_key_resolves(package, record):
    found = tables(package)

    assert {name: len(rows) > 0 for name, rows in found.items()} == {
        r.name: True for r in schema.RESOURCES
    }
    assert len(found["commitments"]) == Commitment.objects.count()
    assert len(found["evidence"]) == Evidence.objects.count()
    for resource in schema.RESOURCES:
        for key in resource.foreign_keys:
            known = {row[key.reference] for row in found[key.resource]}
            used = {row[key.column] for row in found[resource.name]} - {""}
            assert used <= known, (resource.name, key.column)
    codes = {row["code"] for row in found["countries"]}
    for row in found["commitments"]:
        assert set(row["partner_countries"].split()) <= codes
    moved = next(row for row in found["commitments"] if row["slug"] == record.slug)
    assert "KG" in moved["partner_countries"].split()
    assert moved["postponements"] == "1"


def test_no_internal_note_or_person_leaves(package, record):
    leaked = {
        name: secret
        for name, data in files(package).items()
        for secret in (INTERNAL_NOTE, EMAIL, USERNAME)
        if secret.encode() in data
    }
    assert leaked == {}
    columns = {c.name for r in schema.RESOURCES for c in r.columns}
    assert columns.isdisjoint(
        {"notes", "responsible_users", "added_by", "changed_by", "recorded_by", "text", "id"}
    )


def test_the_same_record_gives_the_same_bytes_dated_by_its_last_change(record):
    first = build()
    with time_machine.travel(dt.datetime(2031, 1, 1, tzinfo=dt.UTC)):
        later = build()

    assert later == first  # no clock in it: a day later, the same bytes
    descriptor = json.loads(files(first)["datapackage.json"])
    last_change = exporting.record_last_modified()
    assert last_change >= Commitment.objects.latest("updated_at").updated_at
    assert descriptor["last_modified"] == last_change.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"
    )
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    *day, second = last_change.astimezone(dt.UTC).timetuple()[:6]
    assert stamps == {(*day, second - second % 2)}  # zip times count in two seconds


def test_the_descriptor_declares_licence_keys_and_the_four_languages(package):
    descriptor = json.loads(files(package)["datapackage.json"])

    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["name"] for r in descriptor["resources"]] == [r.name for r in schema.RESOURCES]
    commitments = descriptor["resources"][3]
    assert commitments["schema"]["primaryKey"] == ["slug"]
    names = [f["name"] for f in commitments["schema"]["fields"]]
    assert {"title_en", "title_ru", "title_kk", "title_ky", "description_ky"} <= set(names)
    evidence = next(r for r in descriptor["resources"] if r["name"] == "evidence")
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["uid"]}} in (
        evidence["schema"]["foreignKeys"]
    )


def test_each_csv_reads_back_to_the_same_text(package):
    # Out and in share one function per type: every cell parsed and written again is the cell.
    for name, rows in tables(package).items():
        resource = schema.resource(name)
        for row in rows:
            parsed = resource.parse(row)
            again = [resource.column(c).to_text(parsed[c]) for c in resource.header]
            assert again == [row[c] for c in resource.header], name


def test_the_csv_files_are_rfc_4180_with_the_schemas_header(package):
    content = files(package)
    for resource in schema.RESOURCES:
        text = content[resource.path].decode("utf-8")
        assert text.startswith(",".join(resource.header) + "\r\n")
        assert text.endswith("\r\n")


def test_building_takes_the_same_queries_whatever_the_records_size(record):
    with CaptureQueriesContext(connection) as small:
        build()
    officer = UserFactory(username="extra", is_superuser=True)
    source = Source.objects.order_by("published_on").first()
    quote = source.text.split(".")[0]
    for n in range(15):
        added = create_commitment(actor=officer, partner_countries=["KG"], title=f"Extra {n}")
        services.evidence_add(commitment=added, actor=officer, source=source, quote=quote)

    with CaptureQueriesContext(connection) as large:
        build()

    # Three for the record's last change, one per table, one for the partner countries.
    assert len(small) == len(large) == 3 + len(schema.RESOURCES) + 1
