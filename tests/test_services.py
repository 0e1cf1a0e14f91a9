"""Writes through the domain services: validated, scoped, recorded, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from commitments import messages, rules, services
from commitments.actors import SystemActor
from commitments.models import Commitment, Evidence, Review, StatusChange
from tests.support.factories import CommitmentFactory, SourceFactory, UserFactory, create_commitment

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=90)


@pytest.fixture
def commitment(db):
    return CommitmentFactory(status="agreed", last_reviewed_at=LONG_AGO, partners=["KG"])


def test_allowed_status_change_records_history_and_resets_staleness(commitment, kz_officer):
    change = services.commitment_change_status(
        commitment=commitment,
        new_status="in_progress",
        actor=kz_officer,
        note="Works began.",
        now=NOW,
    )

    commitment.refresh_from_db()
    assert commitment.status == "in_progress"
    assert commitment.last_reviewed_at == NOW
    assert commitment.version == 2
    assert (change.old_status, change.new_status, change.changed_by, change.note) == (
        "agreed",
        "in_progress",
        kz_officer,
        "Works began.",
    )
    assert not commitment.is_stale(NOW)


def test_forbidden_transition_saves_nothing(commitment, kz_officer):
    with pytest.raises(rules.TransitionNotAllowed) as caught:
        services.commitment_change_status(
            commitment=commitment, new_status="completed", actor=kz_officer, note="Done?", now=NOW
        )

    assert caught.value.messages == [str(rules.transition_refusal("agreed", "completed"))]
    commitment.refresh_from_db()
    assert (commitment.status, commitment.last_reviewed_at, commitment.version) == (
        "agreed",
        LONG_AGO,
        1,
    )
    assert not StatusChange.objects.exists()


def test_status_change_without_a_note_is_refused(commitment, kz_officer):
    with pytest.raises(ValidationError) as caught:
        services.commitment_change_status(
            commitment=commitment, new_status="stalled", actor=kz_officer, note="  "
        )
    assert caught.value.message_dict == {"note": [messages.NOTE_REQUIRED]}
    assert Commitment.objects.get().status == "agreed"


def test_staff_of_an_uninvolved_country_cannot_change_status(commitment):
    uzbek = UserFactory(username="uz-officer", countries=["UZ"])
    with pytest.raises(services.EditNotAllowed):
        services.commitment_change_status(
            commitment=commitment, new_status="stalled", actor=uzbek, note="No."
        )
    assert Commitment.objects.get().status == "agreed"


def test_partner_country_staff_may_change_status(commitment, kg_officer):
    services.commitment_change_status(
        commitment=commitment, new_status="stalled", actor=kg_officer, note="Paused."
    )
    assert Commitment.objects.get().status == "stalled"


def test_stale_version_is_refused_and_changes_nothing(commitment, kz_officer):
    with pytest.raises(services.VersionConflict):
        services.commitment_change_status(
            commitment=commitment,
            new_status="stalled",
            actor=kz_officer,
            note="Paused.",
            expected_version=commitment.version + 1,
        )
    assert Commitment.objects.get().status == "agreed"


def test_adding_evidence_with_a_verbatim_quote_resets_the_clock(commitment, kz_officer):
    source = SourceFactory(text="Construction of the complex began in March.")

    evidence = services.evidence_add(
        commitment=commitment,
        actor=kz_officer,
        source=source,
        quote="Construction of the complex began",
        now=NOW,
    )

    commitment.refresh_from_db()
    assert evidence.added_by == kz_officer
    assert commitment.last_reviewed_at == NOW
    assert commitment.version == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quote": "Construction was cancelled"}, "quote", messages.QUOTE_NOT_IN_SOURCE),
        ({"quote": ""}, "quote", messages.SOURCE_NEEDS_QUOTE),
        ({"url": "ftp://files.example.org/report.pdf", "source": None, "quote": ""}, "url", None),
        ({"url": "javascript:alert(1)", "source": None, "quote": ""}, "url", None),
        ({"source": None, "quote": "", "url": ""}, "url", messages.EVIDENCE_NEEDS_QUOTE_OR_URL),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(
    commitment, kz_officer, fields, field, message
):
    source = SourceFactory(text="Construction of the complex began in March.")
    kwargs = {"source": source, "quote": "Construction of the complex began", **fields}

    with pytest.raises(ValidationError) as caught:
        services.evidence_add(commitment=commitment, actor=kz_officer, now=NOW, **kwargs)

    assert field in caught.value.message_dict
    if message is not None:  # else Django's own URL message
        assert caught.value.message_dict[field][0] == message
    assert not Evidence.objects.exists()
    commitment.refresh_from_db()
    assert (commitment.last_reviewed_at, commitment.version) == (LONG_AGO, 1)


def test_mark_reviewed_records_a_review_and_resets_the_clock(commitment, kz_officer):
    services.commitment_mark_reviewed(commitment=commitment, actor=kz_officer, now=NOW)

    commitment.refresh_from_db()
    assert commitment.last_reviewed_at == NOW
    assert Review.objects.get().reviewed_by == kz_officer


def test_create_records_the_first_history_row(kg, kz_officer):
    created = create_commitment(actor=kz_officer, partner_countries=[kg])

    assert list(created.partner_countries.values_list("code", flat=True)) == ["KG"]
    history = StatusChange.objects.get(commitment=created)
    assert (history.old_status, history.new_status) == ("", "announced")


@pytest.mark.parametrize(("owner", "refused"), [("KZ", False), ("ZZ", True)])
def test_create_takes_the_owner_as_a_code_like_the_partners(kz, kg, owner, refused):
    def create():
        return create_commitment(
            actor=SystemActor.INGESTION, owner_country=owner, partner_countries=["KG"]
        )

    if not refused:
        assert create().owner_country == kz
        return
    with pytest.raises(ValidationError) as error:
        create()
    assert list(error.value.message_dict) == ["owner_country"]
    assert not Commitment.objects.exists()


def test_create_outside_ones_countries_is_refused(kz, kg):
    kg_only = UserFactory(username="kg-only", countries=["KG"])
    with pytest.raises(services.EditNotAllowed):
        create_commitment(actor=kg_only, owner_country=kz)
    assert not Commitment.objects.exists()


def test_update_cannot_move_a_commitment_out_of_ones_own_scope(commitment, kg_officer):
    with pytest.raises(services.EditNotAllowed):
        services.commitment_update(
            commitment=commitment, actor=kg_officer, data={"partner_countries": []}
        )
    assert list(Commitment.objects.get().partner_countries.values_list("code", flat=True)) == ["KG"]


def test_update_refuses_a_status_change_in_disguise(commitment, kz_officer):
    with pytest.raises(ValidationError) as caught:
        services.commitment_update(
            commitment=commitment, actor=kz_officer, data={"status": "completed"}
        )
    assert caught.value.message_dict == {"status": [messages.STATUS_NEEDS_A_CHANGE]}
    assert Commitment.objects.get().status == "agreed"


def test_update_bumps_the_version_and_keeps_the_review_clock(commitment, kz_officer):
    updated = services.commitment_update(
        commitment=commitment, actor=kz_officer, data={"title": "Build the border complex"}
    )
    assert (updated.title, updated.version, updated.last_reviewed_at) == (
        "Build the border complex",
        2,
        LONG_AGO,
    )


def test_only_superusers_delete(commitment, kz_officer):
    with pytest.raises(services.EditNotAllowed):
        services.commitment_delete(commitment=commitment, actor=kz_officer)
    services.commitment_delete(commitment=commitment, actor=UserFactory(is_superuser=True))
    assert not Commitment.objects.exists()


# --- Who acts: a user or a named system actor, never nobody ---------------------------------------


def _each_write(commitment, actor):
    """Every service that writes, called by `actor` (a thunk each, so each runs on its own)."""
    return {
        "create": lambda: create_commitment(actor=actor),
        "update": lambda: services.commitment_update(
            commitment=commitment, actor=actor, data={"title": "Renamed"}
        ),
        "change status": lambda: services.commitment_change_status(
            commitment=commitment, new_status="stalled", actor=actor, note="Paused."
        ),
        "add evidence": lambda: services.evidence_add(
            commitment=commitment, actor=actor, url="https://example.org/news/1"
        ),
        "mark reviewed": lambda: services.commitment_mark_reviewed(
            commitment=commitment, actor=actor
        ),
        "delete": lambda: services.commitment_delete(commitment=commitment, actor=actor),
    }


WRITES = ["create", "update", "change status", "add evidence", "mark reviewed", "delete"]


def _everything():
    return (
        list(Commitment.objects.values_list("pk", "title", "status", "version")),
        Evidence.objects.count(),
        StatusChange.objects.count(),
        Review.objects.count(),
    )


@pytest.mark.parametrize("write", WRITES)
def test_a_write_without_an_actor_is_refused_and_saves_nothing(commitment, write):
    before = _everything()

    with pytest.raises(TypeError, match="every write names who makes it"):
        _each_write(commitment, None)[write]()

    assert _everything() == before


def test_a_system_actor_is_recorded_by_name_in_history(commitment):
    ingestion = SystemActor.INGESTION
    change = services.commitment_change_status(
        commitment=commitment, new_status="stalled", actor=ingestion, note="Paused.", now=NOW
    )
    evidence = services.evidence_add(
        commitment=commitment, actor=ingestion, url="https://example.org/news/1", now=NOW
    )
    review = services.commitment_mark_reviewed(commitment=commitment, actor=ingestion, now=NOW)
    created = create_commitment(actor=ingestion)
    first = StatusChange.objects.get(commitment=created)

    for row in (change, evidence, review, first):
        row.refresh_from_db()
        assert row.actor_name() == "ingestion"
    assert (change.changed_by, change.changed_by_system) == (None, "ingestion")
    assert (evidence.added_by, evidence.added_by_system) == (None, "ingestion")
    assert (review.reviewed_by, review.reviewed_by_system) == (None, "ingestion")


def test_a_user_is_recorded_as_the_user_with_no_system_name(commitment, kz_officer):
    change = services.commitment_change_status(
        commitment=commitment, new_status="stalled", actor=kz_officer, note="Paused."
    )
    change.refresh_from_db()
    assert (change.changed_by, change.changed_by_system, change.actor_name()) == (
        kz_officer,
        "",
        "kz-officer",
    )


def test_a_system_actor_may_not_delete(commitment):
    with pytest.raises(services.EditNotAllowed) as caught:
        services.commitment_delete(commitment=commitment, actor=SystemActor.INGESTION)
    assert str(caught.value) == messages.DELETE_SUPERUSERS_ONLY
    assert Commitment.objects.exists()


def test_a_partner_country_cannot_take_the_commitment_for_itself(commitment, kg_officer):
    with pytest.raises(services.EditNotAllowed) as caught:
        services.commitment_update(
            commitment=commitment,
            actor=kg_officer,
            data={"owner_country": commitment.partner_countries.get(), "partner_countries": []},
        )
    assert str(caught.value) == messages.OWNER_STAFF_ONLY
    commitment.refresh_from_db()
    assert (commitment.owner_country_id, commitment.version) == ("KZ", 1)
