"""The briefing from its three edges (admin, API, command) and the Celery task: each answers the
file or a clear refusal, and a refusal saves nothing."""

from __future__ import annotations

import io

import docx
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import CommandError, call_command
from django.urls import reverse

from commitments.briefing import services
from commitments.briefing.models import BriefingRequest
from tests.support.admin import logged_in_staff
from tests.support.api import client_for
from tests.support.factories import UserFactory

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
API = "/api/v1/briefing/"


def _titles(data: bytes) -> list[str]:
    """The commitments listed in a DOCX briefing (its overview table, one row each)."""
    overview = docx.Document(io.BytesIO(data)).tables[3]
    return [row.cells[1].text for row in overview.rows[1:]]


# --- command --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_writes_the_briefing(record, tmp_path):
    out = tmp_path / "council-12.docx"
    call_command(
        "briefing",
        "--meeting",
        "council-12",
        "--since",
        "2024-01-01",
        "--language",
        "en",
        "--format",
        "docx",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    assert _titles(out.read_bytes()) == [
        "Raise mutual trade to 2 billion USD",
        "Exchange hydrological data",
    ]
    pdf = tmp_path / "kg.pdf"
    call_command(
        "briefing",
        "--country",
        "kg",
        "--language",
        "ky",
        "--format",
        "pdf",
        "--output",
        str(pdf),
        stdout=io.StringIO(),
    )
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--meeting", "council-99"], "--meeting: Заседания с ключом «council-99» нет."),
        (["--country", "ZZ"], "--country: Страны с кодом «ZZ» нет."),
        (["--meeting", "council-12", "--since", "2024-13-01"], "--since: «2024-13-01» — не дата"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(record, tmp_path, arguments, message):
    out = tmp_path / "briefing.docx"
    with pytest.raises(CommandError, match=message):
        call_command(
            "briefing", *arguments, "--language", "ru", "--format", "docx", "--output", str(out)
        )
    assert not out.exists()
    assert BriefingRequest.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_language(record, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'de'"):
        call_command(
            "briefing",
            "--meeting",
            "council-12",
            "--language",
            "de",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "x.docx"),
        )


# --- API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "content_type"), [("docx", DOCX), ("pdf", "application/pdf")])
def test_the_api_answers_the_file(record, fmt, content_type):
    client = client_for(UserFactory(is_staff=False))
    response = client.get(API, {"meeting": "council-12", "language": "ru", "format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="briefing-council-12-ru.{fmt}"'
    )
    if fmt == "docx":
        assert _titles(response.content) == [
            "Довести взаимный товарооборот до 2 млрд долларов США",
            "Exchange hydrological data",
        ]


@pytest.mark.django_db
def test_the_api_briefs_on_hand_picked_ids(record):
    client = client_for(UserFactory(is_staff=False))
    ids = f"{record['water'].pk},{record['done'].pk}"
    response = client.get(API, {"ids": ids, "language": "en", "format": "docx"})
    assert response.status_code == 200
    # A hand-picked set keeps what was picked, the completed commitment too.
    assert _titles(response.content) == ["Exchange hydrological data", "Finished long ago"] or (
        _titles(response.content) == ["Finished long ago", "Exchange hydrological data"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"meeting": "council-99", "language": "ru", "format": "pdf"}, "meeting"),
        ({"country": "ZZ", "language": "ru", "format": "pdf"}, "country"),
        ({"meeting": "council-12", "language": "ru", "format": "odt"}, "format"),
        ({"meeting": "council-12", "language": "de", "format": "pdf"}, "language"),
        ({"meeting": "council-12", "language": "ru", "format": "pdf", "since": "May"}, "since"),
        ({"ids": "1,x", "language": "ru", "format": "pdf"}, "ids"),
        ({"language": "ru", "format": "pdf"}, "scope"),
        ({"meeting": "council-12", "country": "KZ", "language": "ru", "format": "pdf"}, "scope"),
    ],
)
def test_the_api_refuses_bad_input_as_a_problem_naming_the_parameter(record, params, field):
    client = client_for(UserFactory(is_staff=False))
    response = client.get(API, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:tracker:problem:validation-error"
    assert list(body["errors"]) == [field]
    assert BriefingRequest.objects.count() == 0


@pytest.mark.django_db
def test_the_api_refuses_anonymous_callers(record):
    response = client_for(None).get(
        API, {"meeting": "council-12", "language": "ru", "format": "pdf"}
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_large_briefing_is_queued_built_by_the_task_and_kept(
    record, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.BRIEFING_DIRECT_MAX_ITEMS = 1
    client = client_for(UserFactory(is_staff=False))
    params = {"meeting": "council-12", "language": "kk", "format": "docx"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(API, params)

    assert response.status_code == 202
    location = response["Location"]
    status = client.get(location).json()
    assert status["state"] == "done"
    assert (status["done"], status["total"]) == (2, 2)
    file = client.get(status["file_url"])
    assert file.status_code == 200
    assert file["Content-Type"] == DOCX
    assert _titles(b"".join(file.streaming_content)) == [
        "Өзара тауар айналымын 2 млрд АҚШ долларына жеткізу",
        "Exchange hydrological data",
    ]
    # The same inputs on the same record: the kept file, not a second build.
    again = client.get(API, params)
    assert again.status_code == 202 and again["Location"] == location
    assert BriefingRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_request_the_task_has_not_built_yet_shows_its_progress(record, settings):
    settings.BRIEFING_DIRECT_MAX_ITEMS = 1
    client = client_for(UserFactory(is_staff=False))
    response = client.get(API, {"country": "KZ", "language": "ru", "format": "pdf"})
    assert response.status_code == 202
    body = client.get(response["Location"]).json()
    assert (body["state"], body["done"], body["total"], body["file_url"]) == ("queued", 0, 2, None)
    request = BriefingRequest.objects.get()
    services.run_request(request.pk)
    request.refresh_from_db()
    assert (request.state, request.done, request.total) == ("done", 2, 2)
    assert request.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_the_schema_documents_the_briefing(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/briefing/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"meeting", "country", "ids", "since", "language", "format"} <= names
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert "/api/v1/briefing-requests/{id}/" in schema["paths"]


# --- admin ----------------------------------------------------------------------------------------


def _run(client, model: str, action: str, pks, **form):
    url = reverse(f"admin:commitments_{model}_changelist")
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: pks, **form})


@pytest.mark.django_db
def test_the_meeting_action_opens_a_form_then_answers_the_document(record, client):
    logged_in_staff(client, "KZ", "KG", is_superuser=True)
    meeting = record["trade"].meeting.__class__.objects.get(key="council-12")

    form_page = _run(client, "meeting", "brief_meeting", [meeting.pk])
    assert form_page.status_code == 200
    assert b'name="language"' in form_page.content

    response = _run(
        client, "meeting", "brief_meeting", [meeting.pk], apply="1", language="ru", format="docx"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert len(_titles(response.content)) == 2


@pytest.mark.django_db
def test_staff_brief_only_on_the_commitments_their_countries_may_act_on(record, client):
    logged_in_staff(client, "KZ")
    picked = [record["trade"].pk, record["water"].pk]  # water: Kyrgyzstan's alone

    response = _run(
        client, "commitment", "brief_commitments", picked, apply="1", language="en", format="docx"
    )

    assert response.status_code == 200
    assert _titles(response.content) == ["Raise mutual trade to 2 billion USD"]


@pytest.mark.django_db
def test_a_bad_date_in_the_admin_form_is_shown_on_the_form(record, client):
    logged_in_staff(client, "KZ")
    response = _run(
        client,
        "commitment",
        "brief_commitments",
        [record["trade"].pk],
        apply="1",
        language="en",
        format="docx",
        since="not a date",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["since"]
    assert BriefingRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_large_admin_briefing_shows_its_progress_and_download(
    record, client, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.BRIEFING_DIRECT_MAX_ITEMS = 1
    logged_in_staff(client, "KZ", "KG")
    picked = [record["trade"].pk, record["water"].pk]

    with django_capture_on_commit_callbacks(execute=True):
        response = _run(
            client,
            "commitment",
            "brief_commitments",
            picked,
            apply="1",
            language="ru",
            format="pdf",
        )

    request = BriefingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:commitments_briefingrequest_change", args=[request.pk]
    )
    page = client.get(response["Location"])
    assert "2 / 2 (100%)" in page.content.decode()
    download = reverse("admin:commitments_briefingrequest_download", args=[request.pk])
    assert download in page.content.decode()
    listing = client.get(reverse("admin:commitments_briefingrequest_changelist"))
    assert download in listing.content.decode()
    file = client.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content).startswith(b"%PDF")
    # Another officer does not see this officer's briefing.
    client.force_login(UserFactory(username="other", countries=["KG"]))
    assert client.get(download).status_code in (403, 404)


@pytest.mark.django_db
def test_a_build_that_fails_is_recorded_failed_and_a_new_request_may_follow(record):
    request = BriefingRequest.objects.create(
        meeting_key="council-12", language="ru", format="pdf", fingerprint="x", total=2
    )
    record["trade"].meeting.__class__.objects.filter(key="council-12").update(key="renamed")

    with pytest.raises(Exception, match="council-12"):
        services.run_request(request.pk)

    request.refresh_from_db()
    assert request.state == BriefingRequest.State.FAILED
    assert "council-12" in request.error
    assert not request.file
