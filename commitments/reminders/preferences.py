"""Recipients' choices: the signed unsubscribe token, and the services that write preferences.

The token is the only credential of the unsubscribe page, so it is signed with the secret key and
salted for this one use. The writes are services: the page (and anything else) calls these, never
`ReminderPreference.objects` directly.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core import signing
from django.db import transaction

from .links import absolute_url
from .models import ReminderPreference
from .planning import reminder_today

UNSUBSCRIBE_SALT = "commitments.reminders.unsubscribe"
SNOOZE_CHOICES = (7, 30, 90)


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token: str) -> int:
    """The user id a token was signed for; raises signing.BadSignature if forged or tampered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Malformed unsubscribe token.")
    return data["u"]


def unsubscribe_url(user_id: int) -> str:
    return absolute_url("reminders:unsubscribe", unsubscribe_token(user_id))


@transaction.atomic
def reminder_opt_out(user_id: int) -> None:
    ReminderPreference.objects.update_or_create(user_id=user_id, defaults={"opted_out": True})


@transaction.atomic
def reminder_resubscribe(user_id: int) -> None:
    ReminderPreference.objects.update_or_create(
        user_id=user_id, defaults={"opted_out": False, "snoozed_until": None}
    )


@transaction.atomic
def reminder_snooze(user_id: int, days: int, *, now: datetime) -> date:
    """No digests through the returned day (`days` after the reminder day of `now`)."""
    if days not in SNOOZE_CHOICES:
        raise ValueError(f"Snooze for one of {SNOOZE_CHOICES} days.")
    until = reminder_today(now) + timedelta(days=days)
    ReminderPreference.objects.update_or_create(user_id=user_id, defaults={"snoozed_until": until})
    return until
