"""Status transitions and staleness: the one set of rules every interface calls."""

import datetime as dt
from itertools import product

import pytest
from django.core.exceptions import ValidationError

from commitments import rules
from commitments.rules import Status

ALLOWED = {
    ("announced", "agreed"),
    ("agreed", "in_progress"),
    ("in_progress", "completed"),
    ("announced", "stalled"),
    ("agreed", "stalled"),
    ("in_progress", "stalled"),
    ("stalled", "in_progress"),
    ("announced", "cancelled"),
    ("agreed", "cancelled"),
    ("in_progress", "cancelled"),
    ("stalled", "cancelled"),
}
ALL_MOVES = list(product(Status.values, Status.values))


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
def test_allowed_move_passes(old, new):
    rules.check_transition(old, new)


@pytest.mark.parametrize(("old", "new"), [m for m in ALL_MOVES if m not in ALLOWED])
def test_forbidden_move_is_refused_naming_the_allowed_ones(old, new):
    with pytest.raises(rules.TransitionNotAllowed) as caught:
        rules.check_transition(old, new)

    message = " ".join(caught.value.message_dict["status"])
    allowed = rules.allowed_transitions(old)
    assert caught.value.allowed == allowed
    if allowed:
        # By their names, never their codes (the API gives the codes apart: `allowed`).
        assert all(f"“{rules.Status(status).label}”" in message for status in allowed)
    else:
        assert "final" in message


def test_unknown_status_is_refused_listing_valid_statuses():
    with pytest.raises(ValidationError) as caught:
        rules.check_transition("announced", "done")
    assert caught.value.message_dict["status"] == [str(rules.not_a_status("done"))]
    assert "in_progress" in caught.value.message_dict["status"][0]


def test_completed_and_cancelled_are_final_and_the_rest_open():
    assert {s for s in Status.values if rules.is_final(s)} == {"completed", "cancelled"}
    assert set(rules.OPEN_STATUSES) == {"announced", "agreed", "in_progress", "stalled"}


NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("age", "stale"),
    [
        (dt.timedelta(days=30), False),
        (dt.timedelta(days=30, seconds=1), True),
        (dt.timedelta(days=29, hours=23), False),
    ],
)
def test_open_commitment_is_stale_only_past_the_threshold(settings, age, stale):
    settings.COMMITMENT_STALE_DAYS = 30
    assert rules.is_stale("in_progress", NOW - age, NOW) is stale


def test_final_commitment_is_never_stale(settings):
    settings.COMMITMENT_STALE_DAYS = 30
    assert not rules.is_stale("completed", NOW - dt.timedelta(days=900), NOW)
    assert not rules.is_stale("cancelled", NOW - dt.timedelta(days=900), NOW)


def test_threshold_may_differ_per_status(settings):
    settings.COMMITMENT_STALE_DAYS = 30
    settings.COMMITMENT_STALE_DAYS_BY_STATUS = {"announced": 60}
    reviewed = NOW - dt.timedelta(days=45)
    assert not rules.is_stale("announced", reviewed, NOW)
    assert rules.is_stale("agreed", reviewed, NOW)
