"""Constraints the database itself enforces, whatever code writes the row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Commitment, Country, Evidence, Review, StatusChange
from commitments.reminders.models import Reminder
from tests.support.factories import CommitmentFactory, SourceFactory, UserFactory


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_country_codes_are_unique_two_letter_uppercase(db):
    Country.objects.create(code="KZ", name="Kazakhstan")
    assert refused(lambda: Country.objects.create(code="KZ", name="Kazakhstan again"))
    assert refused(lambda: Country.objects.create(code="kg", name="Kyrgyzstan"))
    assert refused(lambda: Country.objects.create(code="K1", name="Nowhere"))


def test_commitment_title_may_not_be_empty(db):
    assert refused(lambda: CommitmentFactory(title=""))


@pytest.mark.parametrize("field", ["status", "category"])
def test_commitment_status_and_category_must_be_known_values(db, field):
    assert refused(lambda: CommitmentFactory(**{field: "bogus"}))


def test_target_amount_needs_a_unit_and_vice_versa(db):
    assert refused(lambda: CommitmentFactory(target_amount=2_000_000_000, target_unit=""))
    assert refused(lambda: CommitmentFactory(target_amount=None, target_unit="USD"))
    assert refused(lambda: CommitmentFactory(target_amount=-5, target_unit="USD"))
    assert not refused(lambda: CommitmentFactory(target_amount=2_000_000_000, target_unit="USD"))


def test_slugs_are_unique(db):
    CommitmentFactory(slug="solar")
    assert refused(lambda: CommitmentFactory(slug="solar"))


def test_evidence_needs_a_sourced_quote_or_a_url(db):
    commitment, source = CommitmentFactory(), SourceFactory()
    assert refused(lambda: Evidence.objects.create(commitment=commitment))
    assert refused(lambda: Evidence.objects.create(commitment=commitment, quote="text"))
    assert refused(lambda: Evidence.objects.create(commitment=commitment, source=source))
    assert not refused(
        lambda: Evidence.objects.create(commitment=commitment, url="https://gov.kz/news/1")
    )


def test_history_statuses_must_be_known_values(db):
    commitment = CommitmentFactory()
    assert refused(
        lambda: StatusChange.objects.create(
            commitment=commitment, old_status="x", new_status="agreed"
        )
    )
    assert refused(lambda: StatusChange.objects.create(commitment=commitment, new_status="done"))


def test_one_reminder_per_recipient_and_period(db):
    user = UserFactory()
    Reminder.objects.create(recipient=user, period="2026-11-22")
    assert refused(lambda: Reminder.objects.create(recipient=user, period="2026-11-22"))
    assert not refused(lambda: Reminder.objects.create(recipient=user, period="2026-11-23"))


def test_model_validation_checks_the_quote_against_the_source_text(db):
    source = SourceFactory(text="Trade reached $1.3 billion in 2022.")
    evidence = Evidence(commitment=CommitmentFactory(), source=source, quote="$2 billion")
    with pytest.raises(ValidationError) as caught:
        evidence.full_clean()
    assert "verbatim" in str(caught.value)
    evidence.quote = "$1.3 billion"
    evidence.full_clean()


def test_model_validation_strips_and_requires_a_title(db, kz):
    commitment = Commitment(slug="x", title="   ", owner_country=kz, category="trade")
    with pytest.raises(ValidationError) as caught:
        commitment.full_clean()
    assert "title" in str(caught.value)


def test_a_history_row_names_a_user_or_a_system_actor_not_both(db):
    commitment = CommitmentFactory()
    user = UserFactory()
    history = {"commitment": commitment, "old_status": "", "new_status": "announced"}
    assert refused(
        lambda: StatusChange.objects.create(
            **history, changed_by=user, changed_by_system="seed_loader"
        )
    )
    assert refused(
        lambda: Review.objects.create(
            commitment=commitment, reviewed_by=user, reviewed_by_system="ingestion"
        )
    )
    assert not refused(lambda: StatusChange.objects.create(**history, changed_by=user))
    assert not refused(
        lambda: StatusChange.objects.create(**history, changed_by_system="seed_loader")
    )


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("The parties agreed\nto build the line.", "agreed\r\nto build"),  # quote from a browser
        ("The parties agreed\r\nto build the line.", "agreed\nto build"),  # text from a browser
    ],
)
def test_a_quote_spanning_a_line_break_matches_whatever_the_line_ends(db, text, quote):
    source = SourceFactory(text=text)
    evidence = Evidence(commitment=CommitmentFactory(), source=source, quote=quote)
    evidence.full_clean()
    assert evidence.quote == text[text.index("agreed") : text.index(" the line")]  # the source's
    assert source.contains_quote("agreed to build")  # white space of any kind is one
    assert not source.contains_quote("agreed tobuild")
