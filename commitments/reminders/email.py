"""The digest email: one message with a plain-text and an HTML body from templates/reminders/.

Building it reads nothing from the database: the caller loads the user and commitments (in bulk
when it sends many), so a digest costs the same queries whatever it lists.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext

from ..clock import calendar_days_between
from ..formatting import long_date
from ..languages import recipient_language
from ..models import Commitment
from ..rules import Status
from .links import absolute_url
from .planning import reminder_today
from .preferences import unsubscribe_url


def edit_url(commitment_id: int) -> str:
    return absolute_url("admin:commitments_commitment_change", commitment_id)


@functools.lru_cache(maxsize=8)
def _status_labels(language: str) -> dict[str, str]:
    # get_status_display() translates every choice to find one (make_hashable casts each lazy
    # label): eight catalogue lookups a line, most of the gettext calls of a 10,000-digest run.
    with translation.override(language):
        return {value: str(label) for value, label in Status.choices}


# Each line's words are put together once here, in the recipient's language, and shown by both
# bodies: rendering them in the templates, per line and per body, was most of a 10,000-digest run.
def _stale_item(c: Commitment, now: datetime, status_labels: dict[str, str]) -> dict:
    # Calendar days in the recipient's time zone: what their calendar says, not 24-hour blocks
    # (reviewed 23:30 yesterday is "1 day ago" at 08:00 today).
    days = calendar_days_between(c.last_reviewed_at, now, settings.REMINDER_TIMEZONE)
    return {
        "title": c.title,
        "status": status_labels[c.status],
        "owner_country": c.owner_country_id,
        "days_since_review": days,
        "since_review": ngettext("%(days)s day ago", "%(days)s days ago", days) % {"days": days},
        "last_reviewed": long_date(c.last_reviewed_at),
        "edit_url": edit_url(c.pk),
    }


def _due_item(c: Commitment, now: datetime, status_labels: dict[str, str]) -> dict:
    days = (c.target_date - reminder_today(now)).days
    if days < 0:
        when = ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}
    elif days > 0:
        when = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    else:
        when = gettext("today")
    return {
        "title": c.title,
        "status": status_labels[c.status],
        "owner_country": c.owner_country_id,
        "target_date": long_date(c.target_date),
        "days_left": max(days, 0),
        "days_overdue": max(-days, 0),
        "when": when,
        "edit_url": edit_url(c.pk),
    }


def build_digest_email(
    user,
    commitments: Sequence[Commitment],
    *,
    period: str,
    now: datetime,
    due: Sequence[Commitment] = (),
) -> EmailMultiAlternatives:
    """The digest: `commitments` are the stale ones, `due` those whose target date is near or
    past (their own section), in the recipient's language (their profile's, else the default)."""
    with translation.override(recipient_language(user)):
        return _digest_email(user, commitments, period=period, now=now, due=due)


def _digest_email(
    user,
    commitments: Sequence[Commitment],
    *,
    period: str,
    now: datetime,
    due: Sequence[Commitment],
) -> EmailMultiAlternatives:
    status_labels = _status_labels(translation.get_language())
    items = [_stale_item(c, now, status_labels) for c in commitments]
    due_items = [_due_item(c, now, status_labels) for c in due]
    unsubscribe = unsubscribe_url(user.pk)
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "count": len(items),
        "commitments": items,
        "due_count": len(due_items),
        "due": due_items,
        "due_within_days": settings.REMINDER_DUE_WITHIN_DAYS,
        "period": period,
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("reminders/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same Message-ID for the same recipient and period: should an operator ever
            # resend a digest by hand, mail clients can recognise the copy.
            "Message-ID": f"<reminder.{period.replace('/', '.')}.{user.pk}@"
            f"{urlsplit(settings.SITE_URL).hostname or 'localhost'}>",
            "Auto-Submitted": "auto-generated",
            "Content-Language": translation.get_language(),
        },
    )
    message.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    return message
