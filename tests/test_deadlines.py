"""Target dates that move: the original is kept, every move recorded, postponements counted,
filtered and reported (services, API, admin, public list and page, Atom feed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from commitments import services
from commitments.events.models import Event, EventType
from commitments.models import Commitment, TargetDateChange
from tests.support.admin import change_form_data, change_url, changelist_url, logged_in_staff
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, SourceFactory, UserFactory, create_commitment


def postpone_twice(commitment, kz_officer, source=None):
    services.commitment_update(
        commitment=commitment,
        actor=kz_officer,
        data={"target_date": dt.date(2026, 12, 31)},
        target_date_reason="The ministry says the tender slipped by a year.",
        target_date_source=source,
    )
    return services.commitment_update(
        commitment=commitment,
        actor=kz_officer,
        data={"target_date": dt.date(2027, 12, 31)},
        target_date_reason="Moved again at the council.",
    )


@pytest.fixture
def slipped(kz_officer):
    commitment = create_commitment(
        actor=kz_officer,
        slug="checkpoint",
        title="Rebuild the checkpoint",
        target_date=dt.date(2025, 12, 31),
    )
    postpone_twice(commitment, kz_officer, SourceFactory(title="Council moves the deadline"))
    return Commitment.objects.get(pk=commitment.pk)


def test_a_new_commitment_keeps_its_first_target_date_as_the_original(kz_officer):
    created = create_commitment(actor=kz_officer, target_date=dt.date(2026, 6, 30))

    stored = Commitment.objects.get(pk=created.pk)
    assert stored.original_target_date == dt.date(2026, 6, 30)
    assert stored.postponements == 0
    assert not TargetDateChange.objects.filter(commitment=stored).exists()


def test_each_move_is_recorded_with_who_when_why_and_source(slipped, kz_officer):
    assert slipped.target_date == dt.date(2027, 12, 31)
    assert slipped.original_target_date == dt.date(2025, 12, 31)
    assert slipped.postponements == 2
    first, second = TargetDateChange.objects.filter(commitment=slipped)
    assert (first.old_date, first.new_date) == (dt.date(2025, 12, 31), dt.date(2026, 12, 31))
    assert first.changed_by == kz_officer and first.is_postponement
    assert first.reason == "The ministry says the tender slipped by a year."
    assert first.source.title == "Council moves the deadline"
    assert second.old_date == dt.date(2026, 12, 31) and second.source is None
    events = Event.objects.filter(type=EventType.TARGET_DATE_CHANGED).order_by("id")
    assert [e.data["postponements"] for e in events] == [1, 2]
    assert events[0].data["original_target_date"] == "2025-12-31"


def test_moving_a_set_date_without_a_reason_saves_nothing(slipped, kz_officer):
    version = slipped.version
    with pytest.raises(ValidationError) as caught:
        services.commitment_update(
            commitment=slipped, actor=kz_officer, data={"target_date": dt.date(2029, 1, 1)}
        )
    assert "target_date_reason" in caught.value.message_dict
    slipped.refresh_from_db()
    assert slipped.target_date == dt.date(2027, 12, 31) and slipped.version == version
    assert TargetDateChange.objects.filter(commitment=slipped).count() == 2


def test_bringing_a_date_forward_is_recorded_but_is_no_postponement(slipped, kz_officer):
    services.commitment_update(
        commitment=slipped,
        actor=kz_officer,
        data={"target_date": dt.date(2027, 6, 30)},
        target_date_reason="Ahead of schedule.",
    )
    slipped.refresh_from_db()
    assert slipped.postponements == 2
    assert not TargetDateChange.objects.latest("id").is_postponement


def test_the_page_says_postponed_twice_originally_2025(client, slipped):
    html = client.get(slipped.get_absolute_url()).content.decode()
    assert "postponed twice, originally 2025" in html
    assert "Moved again at the council." in html
    assert "Council moves the deadline" in html


def test_public_list_api_and_admin_filter_slipped_commitments(client, slipped, kz):
    on_time = CommitmentFactory(owner_country=kz, title="Open the bridge on time")
    public = client.get("/", {"slipped": "yes"}).content.decode()
    assert slipped.title in public and on_time.title not in public
    assert "Postponed 2 times" in public

    api = client_for(UserFactory(is_superuser=True, username="root"))
    rows = api.get("/api/v1/commitments/", {"slipped": "true"}).json()["results"]
    assert [r["slug"] for r in rows] == ["checkpoint"]
    assert rows[0]["postponements"] == 2 and rows[0]["original_target_date"] == "2025-12-31"
    others = api.get("/api/v1/commitments/", {"slipped": "false"}).json()["results"]
    assert [r["id"] for r in others] == [on_time.pk]

    logged_in_staff(client, "KZ")
    listed = client.get(changelist_url(), {"slipped": "yes"}).context["cl"].result_list
    assert list(listed) == [slipped]


def test_the_api_needs_a_reason_to_move_a_set_date(slipped):
    api = client_for(UserFactory(is_superuser=True, username="root"))
    url = f"/api/v1/commitments/{slipped.pk}/"
    refused = api.patch(url, {"target_date": "2030-01-01"}, format="json")
    assert refused.status_code == 400 and "target_date_reason" in str(refused.json())
    moved = api.patch(
        url,
        {"target_date": "2030-01-01", "target_date_reason": "Third postponement."},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["postponements"] == 3


def test_admin_asks_why_the_date_moves_and_records_it(client, slipped):
    logged_in_staff(client, "KZ")
    page = client.get(change_url(slipped))
    refused = client.post(change_url(slipped), change_form_data(page, target_date="2031-12-31"))
    assert refused.status_code == 200
    assert "target_date_reason" in refused.context["adminform"].form.errors
    done = client.post(
        change_url(slipped),
        change_form_data(page, target_date="2031-12-31", target_date_reason="Budget cut."),
    )
    assert done.status_code == 302
    slipped.refresh_from_db()
    assert slipped.postponements == 3
    assert TargetDateChange.objects.latest("id").reason == "Budget cut."


def test_the_atom_feed_reports_postponements(client, slipped):
    feed = client.get("/feeds/status-changes.atom").content.decode()
    assert "Rebuild the checkpoint: target date postponed" in feed
    assert "Postponed 2 time(s); originally" in feed and "Moved again at the council." in feed


def test_the_atom_feed_names_a_missing_old_date_as_it_names_a_missing_new_one(
    client, slipped, kz_officer
):
    for target_date, reason in ((None, "Dropped for now."), (dt.date(2028, 6, 30), "Set again.")):
        services.commitment_update(
            commitment=Commitment.objects.get(pk=slipped.pk),
            actor=kz_officer,
            data={"target_date": target_date},
            target_date_reason=reason,
        )
    feed = client.get("/feeds/status-changes.atom").content.decode()
    assert "target date moved (31 December 2027 → none)" in feed
    assert "target date moved (none → 30 June 2028)" in feed  # not "( → 30 June 2028)"
