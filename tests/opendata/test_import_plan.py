"""The dry run on a changed copy of the record lists exactly its changes and refusals, and saves
nothing; applying it saves them through the services, with the importer in history and events."""

from __future__ import annotations

import io
import uuid

import pytest

from commitments import rules
from commitments.events.models import Event
from commitments.models import Commitment, Evidence, StatusChange, TargetDateChange
from commitments.opendata import importing
from tests.opendata.packages import edited, export, read_rows
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_TITLE = "Trade turnover of three billion dollars (edited by the ministry)"
BROKEN = "This sentence appears in no article at all."


@pytest.fixture
def importer(db):
    return UserFactory(username="importer", is_superuser=True)


@pytest.fixture
def package(seeded):
    return export()


def movable(package: bytes) -> dict[str, str]:
    """A commitment whose status may move on, and where to."""
    for row in read_rows(package, "commitments"):
        allowed = rules.allowed_transitions(row["status"])
        if allowed:
            return {"slug": row["slug"], "old": row["status"], "new": allowed[0]}
    raise AssertionError("no open commitment")


def changed_copy(package: bytes) -> tuple[bytes, dict]:
    target = movable(package)
    evidence = read_rows(package, "evidence")
    borrowed = next(e for e in evidence if e["commitment"] != target["slug"] and e["quote"])
    broken = next(e for e in evidence if e["quote"] and e["uid"] != borrowed["uid"])
    added = {**borrowed, "uid": str(uuid.uuid4()), "commitment": target["slug"], "note": "Added"}
    facts = {"target": target, "added": added, "broken": broken}

    def commitments(rows):
        for row in rows:
            if row["slug"] == target["slug"]:
                facts["old_title"] = row["title_en"]
                row["title_en"] = NEW_TITLE
                row["status"] = target["new"]

    def evidence_rows(rows):
        for number, row in enumerate(rows, start=2):
            if row["uid"] == broken["uid"]:
                row["quote"] = BROKEN
                facts["broken_row"] = number
        rows.append(added)
        facts["added_row"] = len(rows) + 1

    return edited(package, commitments=commitments, evidence=evidence_rows), facts


def test_the_dry_run_of_a_changed_copy_lists_exactly_its_changes_and_saves_nothing(
    package, importer
):
    copy, facts = changed_copy(package)
    target = facts["target"]
    events = Event.objects.count()

    plan = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=False)

    touched = [row for row in plan.rows if row.action != "unchanged"]
    assert [(row.file, row.action, row.key) for row in touched] == [
        ("data/commitments.csv", "change", target["slug"]),
        ("data/evidence.csv", "refused", facts["broken"]["uid"]),
        ("data/evidence.csv", "create", facts["added"]["uid"]),
    ]
    change = touched[0]
    assert [(c.column, c.old, c.new) for c in change.changes] == [
        ("title_en", facts["old_title"], NEW_TITLE),
        ("status", target["old"], target["new"]),
    ]
    [problem] = touched[1].problems
    assert (problem.file, problem.row, problem.column) == (
        "data/evidence.csv",
        facts["broken_row"],
        "quote",
    )
    assert str(problem).startswith(
        f"data/evidence.csv, row {facts['broken_row']}, column quote: This quote does not occur "
        "verbatim in the source's text."
    )
    assert not plan.applied
    commitment = Commitment.objects.get(slug=target["slug"])
    assert (commitment.title_en, commitment.status) == (facts["old_title"], target["old"])
    assert not Evidence.objects.filter(uid=facts["added"]["uid"]).exists()
    assert Event.objects.count() == events


def test_a_package_with_a_refused_row_is_not_applied_at_all(package, importer):
    copy, facts = changed_copy(package)

    plan = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=True)

    assert plan.refused and not plan.applied
    commitment = Commitment.objects.get(slug=facts["target"]["slug"])
    assert commitment.title_en == facts["old_title"]
    assert not Evidence.objects.filter(uid=facts["added"]["uid"]).exists()


def test_applying_the_changes_goes_through_the_services_with_the_importer_as_actor(
    package, importer
):
    copy, facts = changed_copy(package)
    broken = facts["broken"]

    def unbroken(rows):
        for row in rows:
            if row["uid"] == broken["uid"]:
                row["quote"] = broken["quote"]

    copy = edited(copy, evidence=unbroken)
    target = facts["target"]
    version = Commitment.objects.get(slug=target["slug"]).version

    plan = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=True)

    assert plan.applied and not plan.refused
    commitment = Commitment.objects.get(slug=target["slug"])
    assert (commitment.title_en, commitment.status) == (NEW_TITLE, target["new"])
    assert commitment.version == version + 3  # the update, the status change, the evidence
    change = StatusChange.objects.filter(commitment=commitment).latest()
    assert (change.old_status, change.new_status, change.changed_by) == (
        target["old"],
        target["new"],
        importer,
    )
    evidence = Evidence.objects.get(uid=facts["added"]["uid"])
    assert (evidence.commitment, evidence.added_by) == (commitment, importer)
    types = list(
        Event.objects.filter(commitment_slug=target["slug"], actor_user_id=importer.pk)
        .order_by("id")
        .values_list("type", flat=True)
    )
    assert types == [
        "commitment.updated",
        "commitment.status_changed",
        "commitment.evidence_added",
    ]
    again = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=True)
    assert not again.changes_anything and not again.refused


def test_a_status_move_the_rules_forbid_is_refused_on_its_row(package, importer):
    target = movable(package)
    forbidden = next(
        s
        for s in rules.Status.values
        if s != target["old"] and s not in rules.allowed_transitions(target["old"])
    )

    def move(rows):
        for row in rows:
            if row["slug"] == target["slug"]:
                row["status"] = forbidden

    plan = importing.import_package(
        io.BytesIO(edited(package, commitments=move)), "copy.zip", importer, apply=False
    )

    [refused] = plan.of("refused")
    [problem] = refused.problems
    assert (refused.file, refused.key, problem.column) == (
        "data/commitments.csv",
        target["slug"],
        "status",
    )
    assert str(problem).startswith(f"data/commitments.csv, row {refused.number}, column status: ")


def test_a_new_commitment_whose_history_does_not_reach_its_status_is_refused_with_its_rows(
    package, importer
):
    history = read_rows(package, "status_changes")
    counts = {}
    for row in history:
        counts[row["commitment"]] = counts.get(row["commitment"], 0) + 1
    step = next(row for row in history if counts[row["commitment"]] == 1)
    slug = step["commitment"]
    other = next(s for s in rules.Status.values if s != step["new_status"])

    def elsewhere(rows):
        for row in rows:
            if row["uid"] == step["uid"]:
                row["new_status"] = other

    copy = edited(package, status_changes=elsewhere)
    Commitment.objects.filter(slug=slug).delete()

    plan = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=False)

    refused = {(row.file, row.key): row for row in plan.of("refused")}
    commitment = refused[("data/commitments.csv", slug)]
    assert [str(p) for p in commitment.problems] == [
        f"data/commitments.csv, row {commitment.number}, column status: The status history "
        "does not end at the commitment's status."
    ]
    assert refused[("data/status_changes.csv", step["uid"])].problems[0].reason == (
        "its commitment is refused (see its row)."
    )
    evidence = [row for (file, _), row in refused.items() if file == "data/evidence.csv"]
    assert evidence and all(
        str(row.problems[0].reason) == "its commitment is refused (see its row)."
        for row in evidence
    )
    assert not plan.of("create")


def test_a_target_date_moved_elsewhere_arrives_with_its_recorded_move(package, importer):
    row = next(r for r in read_rows(package, "commitments") if r["target_date"])
    new_date = f"{int(row['target_date'][:4]) + 1}{row['target_date'][4:]}"
    move = {
        "uid": str(uuid.uuid4()),
        "commitment": row["slug"],
        "old_date": row["target_date"],
        "new_date": new_date,
        "is_postponement": "true",
        "reason": "Moved a year later by the council.",
        "source": "",
        "changed_at": "2026-11-20T06:00:00.000000Z",
    }

    def later(rows):
        for r in rows:
            if r["slug"] == row["slug"]:
                r["target_date"] = new_date

    def moved(rows):
        rows.append(move)

    copy = edited(package, commitments=later, target_date_changes=moved)

    plan = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=True)

    assert plan.applied
    assert [(r.file, r.action) for r in plan.rows if r.action != "unchanged"] == [
        ("data/commitments.csv", "change"),
        ("data/target_date_changes.csv", "create"),
    ]
    commitment = Commitment.objects.get(slug=row["slug"])
    assert (str(commitment.target_date), commitment.postponements) == (new_date, 1)
    change = TargetDateChange.objects.get(uid=move["uid"])
    assert (change.reason, change.changed_by, change.is_postponement) == (
        move["reason"],
        importer,
        True,
    )
    again = importing.import_package(io.BytesIO(copy), "copy.zip", importer, apply=True)
    assert not again.changes_anything and not again.refused


def test_a_target_date_moved_without_a_reason_is_refused_as_in_admin(package, importer):
    row = next(r for r in read_rows(package, "commitments") if r["target_date"])

    def later(rows):
        for r in rows:
            if r["slug"] == row["slug"]:
                r["target_date"] = f"{int(row['target_date'][:4]) + 1}{row['target_date'][4:]}"

    plan = importing.import_package(
        io.BytesIO(edited(package, commitments=later)), "copy.zip", importer, apply=False
    )

    [refused] = plan.of("refused")
    assert [p.column for p in refused.problems] == ["target_date"]
    assert [str(p.reason) for p in refused.problems] == [
        "Say why the target date moves (e.g. the source that reports the new date): a note is "
        "required."
    ]


def test_derived_columns_are_the_records_whatever_the_package_says(package, importer):
    def derived(rows):
        rows[0]["progress"] = "on_track?"
        rows[0]["postponements"] = "many"

    plan = importing.import_package(
        io.BytesIO(edited(package, commitments=derived)), "copy.zip", importer, apply=False
    )

    assert not plan.refused and not plan.changes_anything
