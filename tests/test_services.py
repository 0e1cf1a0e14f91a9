"""Writes through the domain services: validated, scoped, recorded, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from commitments import rules, services
from commitments.models import Commitment, Evidence, Review, StatusChange
from tests.factories import CommitmentFactory, SourceFactory, UserFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=90)


@pytest.fixture
def kz_officer(db):
    return UserFactory(username="kz-officer", countries=["KZ"])


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

    assert "in_progress, stalled, cancelled" in str(caught.value)
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
    assert "note" in caught.value.message_dict
    assert Commitment.objects.get().status == "agreed"


def test_staff_of_an_uninvolved_country_cannot_change_status(commitment):
    uzbek = UserFactory(username="uz-officer", countries=["UZ"])
    with pytest.raises(services.EditNotAllowed):
        services.commitment_change_status(
            commitment=commitment, new_status="stalled", actor=uzbek, note="No."
        )
    assert Commitment.objects.get().status == "agreed"


def test_partner_country_staff_may_change_status(commitment):
    kg_officer = UserFactory(username="kg-officer", countries=["KG"])
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
    ("fields", "field"),
    [
        ({"quote": "Construction was cancelled"}, "quote"),
        ({"url": "ftp://files.example.org/report.pdf", "source": None, "quote": ""}, "url"),
        ({"url": "javascript:alert(1)", "source": None, "quote": ""}, "url"),
        ({"source": None, "quote": "", "url": ""}, "url"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(commitment, kz_officer, fields, field):
    source = SourceFactory(text="Construction of the complex began in March.")
    kwargs = {"source": source, "quote": "Construction of the complex began", **fields}

    with pytest.raises(ValidationError) as caught:
        services.evidence_add(commitment=commitment, actor=kz_officer, now=NOW, **kwargs)

    assert field in caught.value.message_dict
    assert not Evidence.objects.exists()
    commitment.refresh_from_db()
    assert (commitment.last_reviewed_at, commitment.version) == (LONG_AGO, 1)


def test_mark_reviewed_records_a_review_and_resets_the_clock(commitment, kz_officer):
    services.commitment_mark_reviewed(commitment=commitment, actor=kz_officer, now=NOW)

    commitment.refresh_from_db()
    assert commitment.last_reviewed_at == NOW
    assert Review.objects.get().reviewed_by == kz_officer


def test_create_records_the_first_history_row(kz, kg, kz_officer):
    created = services.commitment_create(
        actor=kz_officer,
        slug="solar-plants",
        title="Build solar power plants",
        owner_country=kz,
        category="energy",
        partner_countries=[kg],
        now=NOW,
    )

    assert list(created.partner_countries.values_list("code", flat=True)) == ["KG"]
    history = StatusChange.objects.get(commitment=created)
    assert (history.old_status, history.new_status) == ("", "announced")


def test_create_outside_ones_countries_is_refused(kz, kg):
    kg_only = UserFactory(username="kg-only", countries=["KG"])
    with pytest.raises(services.EditNotAllowed):
        services.commitment_create(
            actor=kg_only,
            slug="x",
            title="Something in Kazakhstan",
            owner_country=kz,
            category="trade",
        )
    assert not Commitment.objects.exists()


def test_update_cannot_move_a_commitment_out_of_ones_own_scope(commitment):
    kg_officer = UserFactory(username="kg-officer", countries=["KG"])
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
    assert "status" in caught.value.message_dict
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
