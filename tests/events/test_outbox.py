"""Every service that changes a commitment writes its event in the same transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from commitments import rules, services
from commitments.actors import SystemActor
from commitments.events import outbox
from commitments.events.models import Event, EventType
from commitments.models import ProgressObservation
from tests.support.factories import (
    CommitmentFactory,
    CountryFactory,
    SourceFactory,
    UserFactory,
    create_commitment,
)


@pytest.fixture
def commitment(kz, kg):
    return CommitmentFactory(slug="border-hub", status="agreed", partners=["KG"])


def events():
    return list(Event.objects.order_by("id"))


def test_create_writes_a_created_event_with_owner_partners_version_and_actor(kz_officer, kz, kg):
    created = create_commitment(
        actor=kz_officer, slug="new-road", owner_country=kz, partner_countries=["KG"]
    )

    (event,) = events()
    assert event.type == EventType.CREATED
    assert (event.commitment_id, event.commitment_slug, event.version) == (
        created.pk,
        "new-road",
        1,
    )
    assert (event.owner_country, event.partner_countries, event.countries) == (
        "KZ",
        ["KG"],
        ",KG,KZ,",
    )
    assert (event.actor_user_id, event.actor_name, event.actor_is_system) == (
        kz_officer.pk,
        "kz-officer",
        False,
    )


def test_update_names_only_the_fields_that_changed(commitment, kz_officer):
    services.commitment_update(
        commitment=commitment,
        actor=kz_officer,
        data={"title": commitment.title, "description": "Now with a customs post."},
    )

    (event,) = events()
    assert event.type == EventType.UPDATED
    assert event.data == {"changed_fields": ["description_en"]}
    assert event.version == 2


def test_update_of_partners_lists_them_and_carries_the_new_partners(commitment, kz_officer):
    CountryFactory(code="UZ")
    services.commitment_update(
        commitment=commitment, actor=kz_officer, data={"partner_countries": ["KG", "UZ"]}
    )

    (event,) = events()
    assert event.data == {"changed_fields": ["partner_countries"]}
    assert event.partner_countries == ["KG", "UZ"]


def test_status_change_evidence_review_observation_and_delete_each_write_one_event(
    commitment, kz_officer
):
    root = UserFactory(username="root", is_superuser=True)
    services.commitment_change_status(
        commitment=commitment, new_status="in_progress", actor=kz_officer, note="Works began."
    )
    evidence = services.evidence_add(
        commitment=commitment,
        actor=SystemActor.INGESTION,
        source=SourceFactory(),
        quote="agreed to build a trade and logistics complex",
    )
    services.commitment_mark_reviewed(commitment=commitment, actor=kz_officer)
    services.observation_add(
        observation=ProgressObservation(
            commitment=commitment,
            evidence=evidence,
            value=Decimal("1.5"),
            unit="km",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
        ),
        actor=kz_officer,
    )
    services.commitment_delete(commitment=commitment, actor=root)

    recorded = events()
    assert [e.type for e in recorded] == [
        EventType.STATUS_CHANGED,
        EventType.EVIDENCE_ADDED,
        EventType.REVIEWED,
        EventType.OBSERVATION_ADDED,
        EventType.DELETED,
    ]
    assert [e.version for e in recorded] == [2, 3, 4, 5, 5]
    assert recorded[0].data == {
        "old_status": "agreed",
        "new_status": "in_progress",
        "note": "Works began.",
    }
    assert recorded[1].data["evidence_id"] == evidence.pk
    assert (recorded[1].actor_name, recorded[1].actor_is_system) == ("ingestion", True)
    assert recorded[3].data["value"] == "1.5"
    assert recorded[4].commitment_slug == "border-hub"
    assert recorded[4].partner_countries == ["KG"]


def test_a_refused_change_writes_no_event(commitment, kz_officer):
    with pytest.raises(rules.TransitionNotAllowed):
        services.commitment_change_status(
            commitment=commitment, new_status="announced", actor=kz_officer, note="Back."
        )
    assert events() == []


def test_a_rolled_back_transaction_takes_its_event_with_it(commitment, kz_officer):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.commitment_update(
            commitment=commitment, actor=kz_officer, data={"description": "Rolled back."}
        )
        assert len(events()) == 1
        raise Abort

    assert events() == []
    commitment.refresh_from_db()
    assert commitment.version == 1


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(kz, kg):
    commitment = CommitmentFactory(partners=["KG"])
    from commitments.actors import Actor

    with pytest.raises(RuntimeError):
        outbox.record(EventType.UPDATED, commitment, Actor(system=SystemActor.INGESTION))
    assert events() == []


def test_the_kick_is_sent_on_commit_only(
    commitment, kz_officer, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_KICK_ON_COMMIT = True
    with django_capture_on_commit_callbacks() as callbacks:
        services.commitment_update(commitment=commitment, actor=kz_officer, data={"notes": "x"})
    assert callbacks == [outbox.kick_dispatch]


def test_a_kick_with_the_broker_down_is_dropped_without_failing(monkeypatch):
    from commitments.events import tasks

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.dispatch_events.app, "connection_for_write", refuse)
    monkeypatch.setattr(outbox, "_last_kick", -outbox.KICK_EVERY)
    outbox.kick_dispatch()  # logs a warning, raises nothing


def test_a_failing_listener_of_the_announced_change_undoes_the_change(commitment, kz_officer):
    # The services announce through a signal (commitments.changes); its listeners run inside the
    # change's transaction, so the outbox and the change cannot part ways.
    from commitments.changes import commitment_changed

    def refuse(**kwargs):
        raise RuntimeError("listener down")

    reviewed_before = commitment.last_reviewed_at
    commitment_changed.connect(refuse, dispatch_uid="test-refuse")
    try:
        with pytest.raises(RuntimeError, match="listener down"):
            services.commitment_mark_reviewed(commitment=commitment, actor=kz_officer)
    finally:
        commitment_changed.disconnect(dispatch_uid="test-refuse")
    commitment.refresh_from_db()
    assert commitment.last_reviewed_at == reviewed_before
    assert not commitment.reviews.exists()
    assert events() == []
