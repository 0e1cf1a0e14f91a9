"""The digest email: one message with a plain-text and an HTML body from templates/reminders/.

Building it reads nothing from the database: the caller loads the user and commitments (in bulk
when it sends many), so a digest costs the same queries whatever it lists.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from ..clock import local_date
from ..formatting import date_range, long_date
from ..languages import recipient_language
from ..models import Commitment
from ..rules import Status
from .links import absolute_url
from .planning import reminder_today
from .preferences import unsubscribe_url


@functools.lru_cache(maxsize=16)
def _profile_url(site_url: str) -> str:
    return site_url + reverse("admin:commitments_staffprofile_changelist")


def profile_url() -> str:
    """Where a staff member chooses the language of the admin and of these emails."""
    return _profile_url(settings.SITE_URL)


def edit_url(commitment_id: int) -> str:
    return absolute_url("admin:commitments_commitment_change", commitment_id)


@dataclass(frozen=True)
class DigestLine:
    """One commitment of a digest as each body shows it: a numbered block of the plain-text body
    and a row of the HTML body's table."""

    text: str
    html: SafeString


# The lines are laid out here rather than in the templates, which keep everything else: with
# ten lines a digest, template variables per line (seventeen of them, each resolved, localised
# and escaped) were half of a 10,000-digest run; a format string costs a fraction of that. The
# words are the same msgids as before, and those of a language and value (a status, a date,
# "3 days ago") are translated once per run rather than once per line.
_TEXT_STALE = (
    "{number}. {title}\n"
    "   {status_label}: {status} ({country})\n"
    "   {when_label}: {when} ({detail})\n"
    "   {edit_label}: {url}\n"
)
_TEXT_DUE = (
    "{number}. {title}\n"
    "   {status_label}: {status} ({country})\n"
    "   {when_label}: {when}, {detail}\n"
    "   {edit_label}: {url}\n"
)
_HTML_ROW = (
    "<tr>\n"
    "        <td>{title} <small>({country})</small></td>\n"
    "        <td>{status}</td>\n"
    "        <td>{when}<br><small>{detail}</small></td>\n"
    '        <td><a href="{url}">{edit_label}</a></td>\n'
    "      </tr>"
)


@functools.lru_cache(maxsize=8)
def _status_labels(language: str) -> dict[str, str]:
    # get_status_display() translates every choice to find one (make_hashable casts each lazy
    # label): eight catalogue lookups a line.
    with translation.override(language):
        return {value: str(label) for value, label in Status.choices}


@functools.lru_cache(maxsize=4096)
def _long_day(day: date, language: str) -> str:
    with translation.override(language):
        return long_date(day)


@functools.lru_cache(maxsize=4096)
def _days_ago(days: int, language: str) -> str:
    with translation.override(language):
        return ngettext("%(days)s day ago", "%(days)s days ago", days) % {"days": days}


@functools.lru_cache(maxsize=4096)
def _due_in(days: int, language: str) -> str:
    with translation.override(language):
        if days < 0:
            return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {
                "days": -days
            }
        if days > 0:
            return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
        return gettext("today")


def _lines(commitments: Sequence[Commitment], now: datetime, *, due: bool) -> list[DigestLine]:
    """The stale commitments' lines (since when unreviewed), or with `due` the due ones' (the
    target date and how far off it is), in the active language."""
    language = translation.get_language()
    status_labels = _status_labels(language)
    # Calendar days in the reminder time zone (midnights crossed, never negative): what the
    # recipient's calendar says, not 24-hour blocks (reviewed 23:30 yesterday is "1 day ago" at
    # 08:00 today).
    today = reminder_today(now)
    words = {
        "status_label": gettext("Status"),
        "when_label": gettext("Target date") if due else gettext("Last reviewed"),
        "edit_label": gettext("Edit"),
    }
    text_layout = _TEXT_DUE if due else _TEXT_STALE
    lines = []
    for number, c in enumerate(commitments, start=1):
        if due:
            when = _long_day(c.target_date, language)
            detail = _due_in((c.target_date - today).days, language)
        else:
            reviewed = local_date(c.last_reviewed_at, settings.REMINDER_TIMEZONE)
            when = _days_ago(max((today - reviewed).days, 0), language)
            detail = _long_day(reviewed, language)
        values = {
            "title": c.title,
            "status": status_labels[c.status],
            "country": c.owner_country_id,
            "when": when,
            "detail": detail,
            "url": edit_url(c.pk),
        }
        lines.append(
            DigestLine(
                text=text_layout.format(number=number, **words, **values),
                html=format_html(_HTML_ROW, edit_label=words["edit_label"], **values),
            )
        )
    return lines


def period_words(period: str) -> str:
    """A period key as the digest's reader reads it: "2026-12-04" -> "4 December 2026"
    ("4 декабря 2026 г."); "2026-11-16/P7D" -> its first and last days."""
    first, _slash, length = period.partition("/")
    try:
        start = date.fromisoformat(first)
        days = int(length[1:-1]) if length else 1
    except ValueError:
        return period
    if days <= 1:
        return long_date(start)
    return date_range(start, start + timedelta(days=days - 1))


def _subject(count: int, due_count: int) -> str:
    # One sentence with no markup: in code, it spares a template render per digest.
    if count and due_count:
        sentence = ngettext(
            "%(count)s stale commitment needs your review and %(due_count)s due soon",
            "%(count)s stale commitments need your review and %(due_count)s due soon",
            count,
        )
    elif count:
        sentence = ngettext(
            "%(count)s stale commitment needs your review",
            "%(count)s stale commitments need your review",
            count,
        )
    else:
        sentence = ngettext(
            "%(due_count)s commitment due soon or overdue",
            "%(due_count)s commitments due soon or overdue",
            due_count,
        )
    return sentence % {"count": count, "due_count": due_count}


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
    items = _lines(commitments, now, due=False)
    due_items = _lines(due, now, due=True)
    unsubscribe = unsubscribe_url(user.pk)
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "count": len(items),
        "commitments": items,
        "due_count": len(due_items),
        "due": due_items,
        "due_within_days": settings.REMINDER_DUE_WITHIN_DAYS,
        "period": period_words(period),
        "unsubscribe_url": unsubscribe,
        "profile_url": profile_url(),
        "site_url": settings.SITE_URL,
    }
    subject = _subject(len(items), len(due_items))
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
