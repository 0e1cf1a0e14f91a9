import csv
import datetime as dt
import io

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import messages, rules
from commitments.models import Commitment, Review, StatusChange
from commitments.opendata import schema
from commitments.rules import Status
from tests.support.admin import changelist_url, logged_in_staff
from tests.support.factories import CommitmentFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer(client, kz, kg):
    return logged_in_staff(client, "KZ", username="kz-officer")


def run_action(client, action, commitments, **extra):
    return client.post(
        changelist_url(),
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in commitments], **extra},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_mark_reviewed_resets_staleness_and_records_a_review(client, officer):
    with time_machine.travel(NOW - dt.timedelta(days=90), tick=False):
        stale = CommitmentFactory(title="Old news")
    with time_machine.travel(NOW, tick=False):
        assert Commitment.objects.stale().filter(pk=stale.pk).exists()
        response = run_action(client, "mark_reviewed", [stale])
        assert not Commitment.objects.stale().filter(pk=stale.pk).exists()

    assert response.status_code == 302
    review = Review.objects.get(commitment=stale)
    assert (review.reviewed_by, review.reviewed_at) == (officer, NOW)
    stale.refresh_from_db()
    assert (stale.last_reviewed_at, stale.version) == (NOW, 2)
    assert messages_of(response) == ["Marked 1 reviewed: “Old news”."]


def test_change_status_action_asks_for_status_and_note_first(client, officer):
    commitment = CommitmentFactory(title="Ferroalloy plant")

    response = run_action(client, "change_status", [commitment])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/commitments/commitment/change_status.html"
    assert "Ferroalloy plant" in response.text
    assert not StatusChange.objects.exists()


def test_change_status_action_requires_a_note(client, officer):
    commitment = CommitmentFactory()

    response = run_action(
        client, "change_status", [commitment], apply="1", new_status="agreed", note="  "
    )

    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["This field is required."]
    assert Commitment.objects.get(pk=commitment.pk).status == Status.ANNOUNCED


def test_change_status_action_moves_allowed_rows_and_reports_refusals(client, officer, kg):
    movable = CommitmentFactory(title="A: announced", status=Status.ANNOUNCED)
    final = CommitmentFactory(title="B: completed", status=Status.COMPLETED)
    skipping = CommitmentFactory(title="C: in progress", status=Status.IN_PROGRESS)
    foreign = CommitmentFactory(title="D: KG only", owner_country=kg)

    response = run_action(
        client,
        "change_status",
        [movable, final, skipping, foreign],
        apply="1",
        new_status="agreed",
        note="Protocol of 5 Dec.",
    )

    assert response.status_code == 302
    assert Commitment.objects.get(pk=movable.pk).status == Status.AGREED
    for unchanged, status in (
        (final, "completed"),
        (skipping, "in_progress"),
        (foreign, "announced"),
    ):
        assert Commitment.objects.get(pk=unchanged.pk).status == status
    change = StatusChange.objects.get()
    assert (change.commitment_id, change.changed_by, change.note) == (
        movable.pk,
        officer,
        "Protocol of 5 Dec.",
    )
    moved, refused = messages_of(response)
    assert moved == "Moved 1 to Agreed: “A: announced” (from Announced)."
    assert refused.startswith("Refused 3 (not moved to Agreed): ")
    assert f"“D: KG only”: {messages.NOT_INVOLVED_REASON}" in refused
    assert f"“B: completed”: {rules.transition_refusal('completed', 'agreed')}" in refused
    assert f"“C: in progress”: {rules.transition_refusal('in_progress', 'agreed')}" in refused


def export(client, commitments) -> list[dict]:
    response = run_action(client, "export_csv", commitments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_has_the_open_data_columns_one_row_per_selected_commitment(client, officer, kg):
    commitment = CommitmentFactory(
        title="Logistics complex", partners=["KG"], target_amount=5, target_unit="km"
    )
    kabar = SourceFactory(title="Kabar report", url="https://kabar.kg/1")
    EvidenceFactory(commitment=commitment, source=kabar, url="https://gov.kz/a")
    other = CommitmentFactory(title="No evidence yet")
    CommitmentFactory(title="Not selected")

    rows = export(client, [commitment, other])

    assert list(rows[0]) == schema.COMMITMENTS.header
    by_title = {row["title_en"]: row for row in rows}
    assert set(by_title) == {"Logistics complex", "No evidence yet"}
    row = by_title["Logistics complex"]
    assert row["slug"] == commitment.slug
    assert row["owner_country"] == "KZ"
    assert row["partner_countries"] == "KG"
    assert row["status"] == "announced"
    assert row["target_amount"] == "5.00"
    assert "notes" not in row and "id" not in row


def test_csv_cells_cannot_run_as_formulas(client, officer):
    CommitmentFactory(title='=HYPERLINK("http://evil")', description="x")
    CommitmentFactory(title="+1 billion", target_unit="@SUM", target_amount=5)
    CommitmentFactory(title="-2 days")

    rows = export(client, list(Commitment.objects.all()))

    titles = sorted(row["title_en"] for row in rows)
    assert titles == ["'+1 billion", "'-2 days", '\'=HYPERLINK("http://evil")']
    assert {row["target_unit"] for row in rows} == {"'@SUM", ""}


def test_csv_export_queries_do_not_grow_with_rows(client, officer):
    source = SourceFactory()
    few = [CommitmentFactory(partners=["KG"]) for _ in range(2)]
    many = [CommitmentFactory(partners=["KG"]) for _ in range(30)]
    for commitment in few + many:
        EvidenceFactory(commitment=commitment, source=source)

    client.get("/admin/")  # a first visit keeps the admin's language on the profile, once
    counts = []
    for selection in (few, few + many):
        with CaptureQueriesContext(connection) as captured:
            export(client, selection)
        counts.append(len(captured))
    assert counts[0] == counts[1]
