"""The package served: one file built ahead, handed out cheaply with its ETag, rebuilt when the
record changes; at /data/datapackage.zip for everyone and /api/v1/datapackage.zip for token
holders; written by `manage.py export_datapackage`."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import services
from commitments.actors import SystemActor
from commitments.models import Commitment
from commitments.opendata import exporting, packages, tasks
from tests.support.api import client_for
from tests.support.factories import UserFactory, create_commitment

PUBLIC_URL = "/data/datapackage.zip"
API_URL = "/api/v1/datapackage.zip"


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    settings.OPENDATA_REBUILD_DELAY = 0


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def commitment_titles(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("data/commitments.csv").decode("utf-8")
    return {row["title_en"] for row in csv.DictReader(io.StringIO(text))}


def test_the_public_download_is_the_package_with_its_etag_and_date(client, seeded):
    response = client.get(PUBLIC_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="kz-kg-commitments.zip"' in response["Content-Disposition"]
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    assert response["Last-Modified"].endswith("GMT")
    data = body(response)
    assert len(commitment_titles(data)) == Commitment.objects.count() == 21
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "datapackage.json" in archive.namelist()


def test_a_second_download_is_served_from_the_built_file_without_reading_the_record(
    client, seeded, monkeypatch
):
    first = client.get(PUBLIC_URL)
    body(first)
    builds = []
    monkeypatch.setattr(exporting, "write_package", lambda *a, **k: builds.append(a))

    with CaptureQueriesContext(connection) as queries:
        again = client.get(PUBLIC_URL)
        data = body(again)

    assert builds == []
    # The record's last change: commitments, sources, the outbox; no table is read.
    assert len(queries) == 3
    assert again["ETag"] == first["ETag"]
    assert len(commitment_titles(data)) == 21


def test_a_conditional_get_with_the_etag_or_the_date_answers_304(client, seeded):
    first = client.get(PUBLIC_URL)
    body(first)

    by_etag = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(PUBLIC_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    other = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH='"not-this-one"')

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert other.status_code == 200


def test_a_change_to_the_record_is_in_the_next_download(
    client, seeded, settings, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    settings.OPENDATA_REBUILD_ON_CHANGE = True
    first = client.get(PUBLIC_URL)
    body(first)

    with django_capture_on_commit_callbacks(execute=True):
        create_commitment(
            actor=SystemActor.SEED_LOADER, title="Open a third border crossing at Karasu"
        )
    # Rebuilt when the change committed, not by the download.
    monkeypatch.setattr(exporting, "write_package", None)

    after = client.get(PUBLIC_URL)
    assert after["ETag"] != first["ETag"]
    assert "Open a third border crossing at Karasu" in commitment_titles(body(after))
    assert client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_changes_in_one_window_share_one_rebuild(
    seeded, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OPENDATA_REBUILD_ON_CHANGE = True
    settings.OPENDATA_REBUILD_DELAY = 60
    sent = []
    monkeypatch.setattr(
        tasks.rebuild, "apply_async", lambda args=(), kwargs=None, **options: sent.append(options)
    )
    commitment = Commitment.objects.order_by("slug").first()

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.commitment_mark_reviewed(commitment=commitment, actor=SystemActor.SEED_LOADER)

    assert sent == [{"countdown": 60}]
    assert packages.rebuild() == "built"  # the task's work: and the next change asks again
    assert packages.request_rebuild() is True


def test_a_download_behind_the_record_serves_the_last_package_and_asks_for_a_rebuild(
    client, seeded, monkeypatch
):
    first = client.get(PUBLIC_URL)
    body(first)
    asked = []
    monkeypatch.setattr(packages, "request_rebuild", lambda: asked.append(True))
    commitment = Commitment.objects.order_by("slug").first()
    services.commitment_mark_reviewed(commitment=commitment, actor=SystemActor.SEED_LOADER)

    stale = client.get(PUBLIC_URL)

    assert stale.status_code == 200
    assert stale["ETag"] == first["ETag"]
    assert asked == [True]


def test_the_api_serves_the_same_package_to_token_holders_only(seeded, client):
    public = client.get(PUBLIC_URL)
    body(public)
    reader = UserFactory(username="analyst", is_staff=False)

    anonymous = client_for(None).get(API_URL)
    response = client_for(reader).get(API_URL, HTTP_ACCEPT="application/zip")

    assert anonymous.status_code == 401
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["ETag"] == public["ETag"]
    assert response["Cache-Control"] == "private, no-cache"
    assert public["Cache-Control"] == "no-cache"
    assert client_for(reader).get(API_URL, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304


def test_the_api_schema_documents_the_package(db):
    schema = client_for(None).get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/datapackage.zip"]["get"]
    assert "application/zip" in operation["responses"]["200"]["content"]


@pytest.mark.parametrize("prefix", ["", "/ru", "/kk", "/ky"])
def test_the_data_page_links_the_download_in_each_language(client, seeded, prefix):
    client.get(PUBLIC_URL)
    page = client.get(f"{prefix}/data/")
    home = client.get(f"{prefix}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="' in text and "datapackage.zip" in text
    assert "CC-BY-4.0" in text or "Creative Commons Attribution 4.0" in text
    assert f'href="{prefix}/data/"' in home.content.decode()


def test_the_data_page_speaks_the_readers_language(client, db):
    russian = client.get("/ru/data/").content.decode()
    kazakh = client.get("/kk/data/").content.decode()
    kyrgyz = client.get("/ky/data/").content.decode()

    assert "Открытые данные" in russian
    assert "Ашық деректер" in kazakh
    assert "Ачык маалыматтар" in kyrgyz


def test_a_closed_site_keeps_its_package_from_anonymous_readers(client, seeded, settings):
    settings.PUBLIC_PAGES_REQUIRE_LOGIN = True

    assert client.get(PUBLIC_URL).status_code == 401
    assert client.get("/data/").status_code == 302


def test_the_command_writes_the_package_the_download_serves(client, seeded, tmp_path):
    target = tmp_path / "record.zip"
    out = io.StringIO()

    call_command("export_datapackage", str(target), stdout=out)

    assert target.read_bytes() == body(client.get(PUBLIC_URL))
    assert "10" in out.getvalue()


@pytest.mark.parametrize(
    "path, message",
    [("record.csv", ".zip"), ("missing-folder/record.zip", "does not exist")],
)
def test_the_command_refuses_a_path_it_cannot_write(db, tmp_path, path, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_datapackage", str(tmp_path / path))
