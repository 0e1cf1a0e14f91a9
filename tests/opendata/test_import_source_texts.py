"""A record moves between secretariats: `export_datapackage --with-source-texts` carries the
sources' full texts, so an EMPTY database imports the whole record (its sources created as admin
adds them, the quotes checked against them) and exports the same files. The public package never
carries the texts."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from frictionless import Package, system

from commitments import messages
from commitments.events.models import Event
from commitments.ingestion import tasks as ingestion_tasks
from commitments.ingestion.models import Suggestion
from commitments.models import Commitment, Country, Evidence, Meeting, Source, normalized_text
from commitments.opendata import exporting, importing, schema
from tests.opendata.packages import edited
from tests.support.api import client_for
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


def export(*, with_source_texts: bool = False) -> bytes:
    out = io.BytesIO()
    exporting.write_package(out, schema.resources(with_source_texts=with_source_texts))
    return out.getvalue()


def files(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_files(package: bytes) -> dict[str, bytes]:
    return {name: data for name, data in files(package).items() if name.endswith(".csv")}


def sources_table(package: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = files(package)["data/sources.csv"].decode("utf-8")
    header = next(csv.reader(io.StringIO(text, newline="")))
    return header, list(csv.DictReader(io.StringIO(text, newline="")))


def resources_of(package: bytes) -> list[dict]:
    return json.loads(files(package)["datapackage.json"])["resources"]


def sources_fields(package: bytes) -> list[str]:
    sources = next(r for r in resources_of(package) if r["name"] == "sources")
    return [f["name"] for f in sources["schema"]["fields"]]


def empty_the_database() -> None:
    """Every row of the record, sources and countries included: a secretariat starting afresh."""
    Commitment.objects.all().delete()  # its evidence, history, figures and accounts with it
    Suggestion.objects.all().delete()
    Source.objects.all().delete()
    Meeting.objects.all().delete()
    Country.objects.all().delete()
    Event.objects.all().delete()
    for model in (Commitment, Evidence, Source, Meeting, Country, Event):
        assert not model.objects.exists(), model


def importer():
    return UserFactory(username="importer", is_superuser=True)


def article_openings() -> list[str]:
    """Each source's first 400 characters: longer than any quote the evidence copies from it."""
    return [normalized_text(s.text).strip()[:400] for s in Source.objects.all()]


def test_the_public_downloads_carry_no_source_text(client, seeded, settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    public = b"".join(client.get("/data/datapackage.zip").streaming_content)
    api = client_for(UserFactory(username="analyst")).get("/api/v1/datapackage.zip")
    token_holders = b"".join(api.streaming_content)

    for package in (public, token_holders):
        header, rows = sources_table(package)
        assert "text" not in header and len(rows) == Source.objects.count() == 5
        assert "text" not in sources_fields(package)
        everything = b"".join(files(package).values()).decode("utf-8")
        for opening in article_openings():
            assert opening not in everything


def test_the_command_adds_the_texts_only_when_asked(seeded, tmp_path):
    out = io.StringIO()
    call_command(
        "export_datapackage", str(tmp_path / "transfer.zip"), "--with-source-texts", stdout=out
    )
    call_command("export_datapackage", str(tmp_path / "public.zip"), stdout=io.StringIO())

    transfer = (tmp_path / "transfer.zip").read_bytes()
    header, rows = sources_table(transfer)
    assert header[-1] == "text" and sources_fields(transfer)[-1] == "text"
    texts = {row["uid"]: row["text"] for row in rows}
    assert texts == {str(s.uid): normalized_text(s.text).strip() for s in Source.objects.all()}
    assert "never publish it" in out.getvalue()
    public = (tmp_path / "public.zip").read_bytes()
    assert "text" not in sources_table(public)[0]
    assert public == export()


def test_the_package_with_texts_passes_frictionless_validation(seeded, tmp_path):
    with zipfile.ZipFile(io.BytesIO(export(with_source_texts=True))) as archive:
        archive.extractall(tmp_path)
    with system.use_context(trusted=True):
        package = Package(str(tmp_path / "datapackage.json"))
        report = package.validate()

    assert report.valid, report.flatten(["type", "message"])
    assert package.get_resource("sources").schema.field_names[-1] == "text"


def test_a_record_moves_into_an_empty_database_and_exports_the_same_bytes(
    seeded, settings, monkeypatch, django_capture_on_commit_callbacks, eager_celery, tmp_path
):
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    settings.INGESTION_ANALYSE_ON_SAVE = True  # as staff adding an article would have it
    analysed = []
    monkeypatch.setattr(ingestion_tasks.analyse_source, "delay", analysed.append)
    transfer, public = export(with_source_texts=True), export()
    uids = set(Source.objects.values_list("uid", flat=True))
    empty_the_database()

    with django_capture_on_commit_callbacks(execute=True):
        plan = importing.import_package(
            io.BytesIO(transfer), "transfer.zip", importer(), apply=True
        )

    assert plan.applied and not plan.refused
    assert dict(plan.counts())["data/sources.csv"]["create"] == 5
    assert set(Source.objects.values_list("uid", flat=True)) == uids
    assert Commitment.objects.count() == 21 and Evidence.objects.exists()
    # An import brings a record in: nothing for staff to review.
    assert analysed == [] and not Suggestion.objects.exists()
    again, again_public = export(with_source_texts=True), export()
    assert sorted(csv_files(again)) == sorted(csv_files(transfer))
    for name, data in csv_files(transfer).items():
        assert csv_files(again)[name] == data, name
    assert csv_files(again_public) == csv_files(public)
    assert resources_of(again_public) == resources_of(public)


def test_a_package_with_texts_of_the_record_itself_changes_nothing(seeded):
    texts = dict(Source.objects.values_list("uid", "text"))

    plan = importing.import_package(
        io.BytesIO(export(with_source_texts=True)), "transfer.zip", importer(), apply=True
    )

    assert {row.action for row in plan.rows} == {"unchanged"}
    assert dict(Source.objects.values_list("uid", "text")) == texts


def test_a_text_that_is_not_the_one_its_hash_names_is_refused_and_nothing_saved(seeded):
    def edit_a_text(rows):
        rows[1]["text"] = rows[1]["text"].replace(" ", "  ", 1)

    package = edited(export(with_source_texts=True), sources=edit_a_text)
    empty_the_database()

    plan = importing.import_package(io.BytesIO(package), "transfer.zip", importer(), apply=True)

    assert plan.refused and not plan.applied
    [problem] = [p for p in plan.problems() if p.file == "data/sources.csv"]
    assert (problem.row, problem.column) == (3, "text")
    assert str(problem) == (
        f"data/sources.csv, row 3, column text: {messages.IMPORT_SOURCE_TEXT_NOT_HASHED}"
    )
    for model in (Source, Commitment, Evidence, Country, Meeting):
        assert not model.objects.exists(), model


def test_a_dry_run_lists_the_sources_it_would_create_and_saves_nothing(seeded, tmp_path):
    path = tmp_path / "transfer.zip"
    path.write_bytes(export(with_source_texts=True))
    uids = [
        str(uid)
        for uid in Source.objects.order_by("published_on", "uid").values_list("uid", flat=True)
    ]
    empty_the_database()
    importer()
    out = io.StringIO()

    call_command("import_datapackage", str(path), "--dry-run", "--as", "importer", stdout=out)

    printed = out.getvalue()
    assert "data/sources.csv: 5 to create" in printed
    for row, uid in enumerate(uids, start=2):
        assert f"data/sources.csv, row {row} ({uid}): to create." in printed
    assert "Dry run: nothing was saved." in printed
    assert not Source.objects.exists() and not Commitment.objects.exists()


def test_without_texts_a_source_missing_in_the_record_is_still_refused(seeded):
    public = export()
    empty_the_database()

    plan = importing.import_package(io.BytesIO(public), "record.zip", importer(), apply=True)

    assert plan.refused and not Source.objects.exists()
    refused = [p for p in plan.problems() if p.file == "data/sources.csv"]
    assert len(refused) == 5
    assert {(p.column, str(p.reason)) for p in refused} == {
        ("uid", str(messages.IMPORT_SOURCE_MISSING))
    }


def test_the_admin_upload_takes_a_package_with_texts_into_an_empty_database(client, seeded):
    transfer = export(with_source_texts=True)
    empty_the_database()
    client.force_login(UserFactory(username="secretary", is_superuser=True, is_staff=True))

    shown = client.post(
        reverse("opendata_import"),
        {"package": SimpleUploadedFile("transfer.zip", transfer)},
    )

    assert shown.status_code == 200
    assert "data/sources.csv: 5 to create, 0 to change, 0 unchanged, 0 refused." in (
        shown.content.decode()
    )
    assert not Source.objects.exists()  # the dry run
    applied = client.post(
        reverse("opendata_import"), {"token": shown.context["token"], "apply": "1"}
    )
    assert applied.status_code == 302
    assert Source.objects.count() == 5 and Commitment.objects.count() == 21
    assert csv_files(export(with_source_texts=True)) == csv_files(transfer)
