"""A client generated from the live OpenAPI schema works, and changes only what it was asked to.

Other systems integrate by generating a client from `/api/v1/schema/`. This generates one with
openapi-python-client (into a temporary directory, against a live server on 127.0.0.1) and drives
it through a commitment's life: list, create, PATCH one field with If-Match, change the status,
add evidence. After each step the record must differ from the one before in exactly the fields
that step changes: a generated PATCH once sent `description: ""` for fields it never set.
"""

import importlib
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from commitments.models import ApiToken, Commitment, Source
from tests.support.factories import CountryFactory, UserFactory

PACKAGE = "tracker_client"
# Fields every write may change besides its own: the version, the clocks and what follows them.
BOOKKEEPING = {"version", "updated_at"}


@pytest.fixture
def generated_client(live_server, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"project_name_override: tracker-client\npackage_name_override: {PACKAGE}\npost_hooks: []\n"
        # The briefing's PDF and DOCX and the data package's zip are bytes to a generated client.
        "content_type_overrides:\n"
        "  application/pdf: application/octet-stream\n"
        "  application/vnd.openxmlformats-officedocument.wordprocessingml.document: "
        "application/octet-stream\n"
        "  application/zip: application/octet-stream\n"
    )
    out = tmp_path / "client"
    generator = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [
            str(generator),
            "generate",
            "--url",
            f"{live_server.url}/api/v1/schema/?format=json",
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(out / PACKAGE),
            "--fail-on-warning",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def changed(before: dict, after: dict) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_changes_only_what_it_asks_to(generated_client, live_server):
    CountryFactory(code="KZ")
    CountryFactory(code="KG")
    user = UserFactory(username="ministry-system", countries=["KZ"])
    _, key = ApiToken.objects.issue(user, "generated-client")

    gen = generated_client
    commitments = importlib.import_module(f"{PACKAGE}.api.commitments")
    models = importlib.import_module(f"{PACKAGE}.models")
    for name in (
        "commitments_list",
        "commitments_create",
        "commitments_retrieve",
        "commitments_partial_update",
        "commitments_transitions_create",
        "commitments_evidence_create",
    ):
        importlib.import_module(f"{PACKAGE}.api.commitments.{name}")
    client = gen.AuthenticatedClient(base_url=live_server.url, token=key, prefix="Token")

    listed = commitments.commitments_list.sync_detailed(client=client)
    assert listed.status_code == 200
    assert listed.parsed.results == []

    created = commitments.commitments_create.sync_detailed(
        client=client,
        body=models.CommitmentCreateRequest(
            title="Build a logistics hub",
            owner_country="KZ",
            partner_countries=["KG"],
            category=models.CategoryEnum.INFRASTRUCTURE,
            description="A hub at the border.",
            target_amount="2000000000.00",
            target_unit="USD",
            notes="From the March meeting.",
        ),
    )
    assert created.status_code == 201, created.content
    record = created.parsed.to_dict()
    pk, etag = record["id"], created.headers["ETag"]
    assert record["description"] == "A hub at the border."

    def read() -> tuple[dict, str]:
        response = commitments.commitments_retrieve.sync_detailed(pk, client=client)
        assert response.status_code == 200
        return response.parsed.to_dict(), response.headers["ETag"]

    # PATCH one field with If-Match: only that field (and the version) changes.
    patched = commitments.commitments_partial_update.sync_detailed(
        pk,
        client=client,
        body=models.PatchedCommitmentUpdateRequest(notes="Confirmed by the ministry."),
        if_match=etag,
    )
    assert patched.status_code == 200, patched.content
    after, etag = read()
    assert after == patched.parsed.to_dict()
    assert changed(record, after) == {"notes"} | BOOKKEEPING
    assert after["description"] == "A hub at the border."
    assert after["target_unit"] == "USD"
    record = after

    moved = commitments.commitments_transitions_create.sync_detailed(
        pk,
        client=client,
        body=models.TransitionRequest(status=models.StatusEnum.AGREED, note="Signed."),
        if_match=etag,
    )
    assert moved.status_code == 200, moved.content
    after, etag = read()
    assert (
        changed(record, after)
        == {
            "status",
            "allowed_transitions",
            "last_reviewed_at",
        }
        | BOOKKEEPING
    )
    record = after

    added = commitments.commitments_evidence_create.sync_detailed(
        pk,
        client=client,
        body=models.EvidenceWriteRequest(url="https://example.org/hub", note="Press release."),
        if_match=etag,
    )
    assert added.status_code == 201, added.content
    after, etag = read()
    # Adding evidence bumps the version; the answer carries the new ETag for the next write.
    assert added.headers["ETag"] == etag
    assert changed(record, after) == {"evidence", "last_reviewed_at"} | BOOKKEEPING
    assert [e["url"] for e in after["evidence"]] == ["https://example.org/hub"]

    stored = Commitment.objects.get(pk=pk)
    assert (stored.description, stored.target_unit, stored.notes, stored.status) == (
        "A hub at the border.",
        "USD",
        "Confirmed by the ministry.",
        "agreed",
    )
    assert [c.code for c in stored.partner_countries.all()] == ["KG"]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_imports_sources_create_and_adds_a_source(
    generated_client, live_server, settings
):
    settings.INGESTION_ANALYSE_ON_SAVE = False
    CountryFactory(code="KZ")
    user = UserFactory(username="ministry-system", countries=["KZ"])
    _, key = ApiToken.objects.issue(user, "generated-client")
    sources_create = importlib.import_module(f"{PACKAGE}.api.sources.sources_create")
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated_client.AuthenticatedClient(
        base_url=live_server.url, token=key, prefix="Token"
    )
    text = "Kazakhstan and Kyrgyzstan agreed to open a new checkpoint at Karasu."
    body = models.SourceCreateRequest(published_on=date(2025, 1, 1), text=text)

    created = sources_create.sync_detailed(client=client, body=body)
    again = sources_create.sync_detailed(client=client, body=body)

    assert (created.status_code, again.status_code) == (201, 200), created.content
    assert created.parsed.id == again.parsed.id == Source.objects.get(text=text).pk

    upload = importlib.import_module(f"{PACKAGE}.api.sources.sources_upload_create")
    types = importlib.import_module(f"{PACKAGE}.types")
    article = "The parties signed a roadmap on water use."
    file = types.File(payload=io.BytesIO(article.encode()), file_name="roadmap.txt")
    uploaded = upload.sync_detailed(
        client=client, body=models.SourceUploadRequest(published_on=date(2025, 1, 2), file=file)
    )
    assert uploaded.status_code == 201, uploaded.content
    assert Source.objects.get(pk=uploaded.parsed.id).text == article
