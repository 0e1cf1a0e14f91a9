"""A digest handed to the mail server whose worker never confirmed it is shown 'in doubt'."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments.reminders import delivery
from commitments.reminders.models import Reminder
from tests.support.factories import UserFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def lease(settings):
    settings.REMINDER_CLAIM_LEASE = 600
    return dt.timedelta(seconds=600)


@pytest.mark.parametrize(
    ("status", "phase", "claimed_ago", "in_doubt"),
    [
        ("pending", "end_of_data", dt.timedelta(seconds=601), True),
        ("pending", "end_of_data", dt.timedelta(seconds=599), False),  # its worker may confirm
        ("pending", "greeting", dt.timedelta(hours=2), False),  # never reached the end of DATA
        ("pending", "data", dt.timedelta(hours=2), False),  # died before the final "."
        ("sent", "answered", dt.timedelta(hours=2), False),
        ("failed", "connect", dt.timedelta(hours=2), False),
    ],
)
def test_in_doubt_only_when_handed_over_unconfirmed_past_the_lease(
    db, lease, status, phase, claimed_ago, in_doubt
):
    reminder = Reminder.objects.create(
        recipient=UserFactory(),
        period="2026-11-22",
        delivery_status=status,
        phase=phase,
        claimed_at=NOW - claimed_ago,
    )
    assert delivery.is_in_doubt(reminder, NOW) is in_doubt


def test_admin_reminder_log_shows_the_in_doubt_column(admin_client, lease):
    Reminder.objects.create(
        recipient=UserFactory(username="aigerim"),
        period="2026-11-22",
        phase=Reminder.Phase.END_OF_DATA,
        claimed_at=NOW - dt.timedelta(hours=1),
    )
    response = admin_client.get(reverse("admin:commitments_reminder_changelist"))
    assert response.status_code == 200
    assert "In doubt" in response.text
    assert 'class="field-in_doubt"><img src="/static/admin/img/icon-yes.svg"' in response.text
