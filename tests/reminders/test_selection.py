"""Who gets reminded of what: selection through the staleness rule and grouping per recipient."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import CountryMembership
from commitments.reminders import planning
from commitments.reminders.models import Reminder, ReminderPreference
from commitments.rules import Status
from tests.support.factories import UserFactory
from tests.support.reminders import NOW, stale_commitment

pytestmark = pytest.mark.django_db


def digests_by_username(now=NOW, **kwargs):
    plan = planning.plan_digests(now, **kwargs).digests
    names = dict(get_user_model().objects.values_list("pk", "username"))
    return {names[d.recipient_id]: sorted(d.commitment_ids) for d in plan}


def test_period_is_the_reminder_day_in_the_reminder_timezone(settings):
    # 20:00 UTC on the 21st is already the 22nd in Almaty (UTC+5).
    assert planning.period_key(dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC)) == "2026-11-22"
    assert planning.period_key(dt.datetime(2026, 11, 21, 18, 59, tzinfo=dt.UTC)) == "2026-11-21"
    settings.REMINDER_TIMEZONE = "UTC"
    assert planning.period_key(dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC)) == "2026-11-21"


def test_weekly_periods_start_on_mondays(settings):
    settings.REMINDER_PERIOD_DAYS = 7
    # 22 November 2026 is a Sunday; its week began on Monday the 16th.
    assert planning.period_key(NOW) == "2026-11-16/P7D"
    assert planning.period_key(NOW + dt.timedelta(days=1)) == "2026-11-23/P7D"


def test_commitment_at_exactly_the_threshold_is_not_reminded_one_moment_later_it_is(officer):
    reviewed = NOW - dt.timedelta(days=30)
    commitment = stale_commitment(responsible=[officer], reviewed=reviewed)
    with time_machine.travel(NOW, tick=False):
        assert planning.plan_digests(NOW).digests == []
    later = NOW + dt.timedelta(microseconds=1)
    with time_machine.travel(later, tick=False):
        plan = planning.plan_digests(later).digests
    assert [(d.recipient_id, d.commitment_ids) for d in plan] == [(officer.pk, (commitment.pk,))]


def test_threshold_per_status_comes_from_the_rule(settings, officer):
    settings.COMMITMENT_STALE_DAYS_BY_STATUS = {"stalled": 10}
    stalled = stale_commitment(
        responsible=[officer], status=Status.STALLED, reviewed=NOW - dt.timedelta(days=11)
    )
    stale_commitment(responsible=[officer], reviewed=NOW - dt.timedelta(days=11))
    assert digests_by_username() == {"aigerim": [stalled.pk]}


def test_each_recipient_gets_one_digest_with_all_their_stale_commitments(
    two_officers_with_stale_work,
):
    plan = digests_by_username()
    assert set(plan) == {"aigerim", "bakyt"}
    assert len(plan["aigerim"]) == 2  # the fresh and the completed ones are left out
    assert len(plan["bakyt"]) == 1
    assert plan["bakyt"][0] in plan["aigerim"]


def test_commitment_without_responsible_user_goes_to_owner_country_coordinators(kz, kg):
    coordinator = UserFactory(username="coord", countries=["KZ"])
    CountryMembership.objects.filter(user=coordinator).update(is_coordinator=True)
    UserFactory(username="plain-member", countries=["KZ"])
    kg_coordinator = UserFactory(username="kg-coord", countries=["KG"])
    CountryMembership.objects.filter(user=kg_coordinator).update(is_coordinator=True)
    orphan = stale_commitment(owner_country=kz, partners=["KG"])
    assert digests_by_username() == {"coord": [orphan.pk]}


def test_commitment_whose_responsible_users_all_left_goes_to_coordinators(kz):
    coordinator = UserFactory(username="coord", countries=["KZ"])
    CountryMembership.objects.filter(user=coordinator).update(is_coordinator=True)
    gone = UserFactory(username="gone", is_active=False)
    commitment = stale_commitment(responsible=[gone], owner_country=kz)
    assert digests_by_username() == {"coord": [commitment.pk]}


def test_inactive_emailless_opted_out_and_snoozed_users_are_skipped_not_replaced(kz):
    coordinator = UserFactory(username="coord", countries=["KZ"])
    CountryMembership.objects.filter(user=coordinator).update(is_coordinator=True)
    no_email = UserFactory(username="no-email", email="")
    opted_out = UserFactory(username="opted-out")
    ReminderPreference.objects.create(user=opted_out, opted_out=True)
    snoozed = UserFactory(username="snoozed")
    ReminderPreference.objects.create(user=snoozed, snoozed_until=dt.date(2026, 11, 22))
    snooze_over = UserFactory(username="snooze-over")
    ReminderPreference.objects.create(user=snooze_over, snoozed_until=dt.date(2026, 11, 21))
    for user in (no_email, opted_out, snoozed, snooze_over):
        stale_commitment(responsible=[user], owner_country=kz)
    assert set(digests_by_username()) == {"snooze-over"}


def test_recipient_already_sent_this_period_is_not_planned_again(officer):
    stale_commitment(responsible=[officer])
    Reminder.objects.create(
        recipient=officer, period="2026-11-22", delivery_status=Reminder.DeliveryStatus.SENT
    )
    assert planning.plan_digests(NOW).digests == []
    assert len(planning.plan_digests(NOW + dt.timedelta(days=1)).digests) == 1


def test_planning_queries_grow_with_batches_not_rows(kz):
    users = [UserFactory() for _ in range(3)]

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            planning.plan_digests(NOW, batch_size=4)
        return len(ctx)

    for i in range(4):
        stale_commitment(responsible=[users[i % 3]], owner_country=kz)
    # coordinators; stale: batch 1 (ids + responsible), empty batch; due: empty batch;
    # recipients: eligible, their reminder rows, those still owed
    four_rows = count_queries()
    for i in range(3):
        stale_commitment(responsible=[users[i % 3]], owner_country=kz)
    seven_rows = count_queries()  # one more batch of 3 rows: + 2 queries
    assert four_rows == 8
    assert seven_rows == four_rows + 2
    assert sum(len(d.commitment_ids) for d in planning.plan_digests(NOW, batch_size=4).digests) == 7
