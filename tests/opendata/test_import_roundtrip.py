"""The same format in: the record exported, imported into an empty record and exported again gives
the same CSV files, byte for byte; importing a package twice changes nothing the second time."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from commitments import rules, services
from commitments.actors import SystemActor
from commitments.events.models import Event
from commitments.models import (
    Commitment,
    Country,
    Evidence,
    Meeting,
    PartyPosition,
    Source,
    StatusChange,
    TargetDateChange,
)
from commitments.opendata import exporting, importing
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


def export() -> bytes:
    out = io.BytesIO()
    exporting.write_package(out)
    return out.getvalue()


def csv_files(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.endswith(".csv")}


def empty_the_record() -> None:
    """Everything but the sources: the package does not carry the articles' texts (they are the
    publishers'), so an empty record that imports it holds the same articles."""
    Commitment.objects.all().delete()
    Meeting.objects.all().delete()
    Country.objects.all().delete()
    Event.objects.all().delete()


def importer():
    return UserFactory(username="importer", is_superuser=True)


def test_the_seeded_record_exported_imported_into_an_empty_record_and_exported_again_is_identical(
    seeded,
):
    first = export()
    empty_the_record()
    assert not Commitment.objects.exists()

    plan = importing.import_package(io.BytesIO(first), "record.zip", importer(), apply=True)

    assert plan.applied and not plan.refused
    again = csv_files(export())
    before = csv_files(first)
    assert sorted(again) == sorted(before)
    for name, data in before.items():
        assert again[name] == data, name
    assert Commitment.objects.count() == 21


def test_the_import_writes_history_and_events_with_the_importer_as_actor(seeded):
    package = export()
    empty_the_record()
    user = importer()

    importing.import_package(io.BytesIO(package), "record.zip", user, apply=True)

    assert StatusChange.objects.exclude(changed_by=user).count() == 0
    assert Evidence.objects.exclude(added_by=user).count() == 0
    events = Event.objects.all()
    assert events.filter(type="commitment.created").count() == 21
    assert events.filter(type="commitment.evidence_added").count() == Evidence.objects.count()
    assert set(events.values_list("actor_user_id", "actor_name")) == {(user.pk, "importer")}
    versions = set(Commitment.objects.values_list("version", flat=True))
    assert min(versions) > 1  # each evidence and figure added is a version, as in admin


def test_importing_the_same_package_twice_changes_nothing_the_second_time(seeded):
    package = export()
    empty_the_record()
    user = importer()
    importing.import_package(io.BytesIO(package), "record.zip", user, apply=True)
    events = Event.objects.count()
    versions = dict(Commitment.objects.values_list("slug", "version"))

    second = importing.import_package(io.BytesIO(package), "record.zip", user, apply=True)

    assert {row.action for row in second.rows} == {"unchanged"}
    assert not second.changes_anything
    assert Event.objects.count() == events
    assert dict(Commitment.objects.values_list("slug", "version")) == versions


def test_a_package_of_the_record_itself_is_all_unchanged(seeded):
    plan = importing.import_package(io.BytesIO(export()), "record.zip", importer(), apply=False)
    counts = dict(plan.counts())
    assert counts["data/commitments.csv"] == {
        "create": 0,
        "change": 0,
        "unchanged": 21,
        "refused": 0,
    }
    assert not plan.changes_anything and not plan.refused


def test_the_round_trip_keeps_moved_target_dates_status_changes_and_parties_accounts(seeded):
    """What the seeds lack: a target date postponed with its reason and source, a status moved
    with a note, and a party's own account of the status."""
    dated = Commitment.objects.filter(target_date__isnull=False).order_by("slug").first()
    source = Source.objects.order_by("published_on").first()
    services.commitment_update(
        commitment=dated,
        actor=SystemActor.SEED_LOADER,
        data={"target_date": dated.target_date + timedelta(days=365)},
        target_date_reason="The council moved it a year later.",
        target_date_source=source,
    )
    movable = next(
        c for c in Commitment.objects.order_by("slug") if rules.allowed_transitions(c.status)
    )
    services.commitment_change_status(
        commitment=movable,
        new_status=rules.allowed_transitions(movable.status)[0],
        actor=SystemActor.SEED_LOADER,
        note="Reported by both secretariats.",
    )
    services.party_position_record(
        commitment=movable,
        actor=SystemActor.SEED_LOADER,
        country=movable.owner_country_id,
        status=movable.status,
        reported_on=source.published_on,
        source=source,
        note="As the ministry reports it.",
    )
    first = export()
    empty_the_record()

    plan = importing.import_package(io.BytesIO(first), "record.zip", importer(), apply=True)

    assert plan.applied and not plan.refused
    assert TargetDateChange.objects.count() == 1 and PartyPosition.objects.count() == 1
    again, before = csv_files(export()), csv_files(first)
    for name, data in before.items():
        assert again[name] == data, name
    moved = Commitment.objects.get(slug=dated.slug)
    assert (moved.postponements, moved.original_target_date) == (1, dated.target_date)
