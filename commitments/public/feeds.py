"""Feeds other tools read: Atom for status changes (all, or per country), iCalendar for target
dates. The calendar is written by hand to RFC 5545: CRLF line endings, lines folded at 75 octets
without splitting a UTF-8 character, TEXT values escaped, and a stable UID per commitment.

Everything staff write (titles, notes, names, units) is text, never markup: Atom's `<summary>` is
`type="html"` (Django's Atom1Feed fixes that), so it is HTML-escaped before it goes in, and a
feed reader shows a note such as `<img onerror=...>` as the characters staff typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import clock, selectors
from ..formatting import format_amount, long_date, without_double_stop
from ..messages import system_note
from ..models import Commitment, Country, StatusChange, TargetDateChange
from ..rules import printable
from .access import public_feed

FEED_ITEMS = 50

# A country's code is two letters (Country.code); anything else in a feed's URL names none.
_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def country_or_404(code: str) -> Country:
    """The country a feed's URL names, else a 404. A code that cannot be one never reaches the
    database, where PostgreSQL answers a NUL character with an error (a 500), not "no match"."""
    if not _COUNTRY_CODE.fullmatch(code):
        raise Http404(f"No country has the code {code!r}.")
    return get_object_or_404(Country, code=code.upper())


def site_name() -> str:
    return _("Kazakhstan–Kyrgyzstan commitment tracker")


def _printable_values(values: dict) -> dict:
    return {
        key: printable(value) if isinstance(value, str) else value for key, value in values.items()
    }


class PrintableAtom1Feed(Atom1Feed):
    """Atom whose every text is written without the control characters XML 1.0 cannot carry:
    one stored in a note or a title (from before they were refused, or by a path that forgot)
    costs that character, not the feed (it used to answer 500 to everyone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *(printable(a) if isinstance(a, str) else a for a in args), **_printable_values(kwargs)
        )

    def add_item(self, *args, **kwargs):
        if kwargs.get("categories"):
            kwargs["categories"] = [printable(str(c)) for c in kwargs["categories"]]
        super().add_item(
            *(printable(a) if isinstance(a, str) else a for a in args), **_printable_values(kwargs)
        )


class StatusChangeFeed(Feed):
    """The latest status changes, newest first; `/<code>.atom` limits it to one country."""

    feed_type = PrintableAtom1Feed

    def author_name(self) -> str:
        return site_name()

    def get_object(self, request, code: str | None = None) -> Country | None:
        if code is None:
            return None
        return country_or_404(code)

    def title(self, country: Country | None) -> str:
        if country:
            return _("Status changes of commitments involving %(country)s – %(site)s") % {
                "country": country.local_name,
                "site": site_name(),
            }
        return _("Status changes of commitments – %(site)s") % {"site": site_name()}

    def subtitle(self, country: Country | None) -> str:
        if country:
            return _(
                "Every recorded change of status of the commitments Kazakhstan and Kyrgyzstan "
                "have made to each other, where %(country)s is owner or partner."
            ) % {"country": country.local_name}
        return _(
            "Every recorded change of status of the commitments Kazakhstan and Kyrgyzstan "
            "have made to each other."
        )

    def link(self, country: Country | None) -> str:
        url = reverse("public:commitment_list")
        return f"{url}?country={country.code}" if country else url

    def feed_url(self, country: Country | None) -> str:
        if country:
            return reverse("public:status_feed_country", kwargs={"code": country.code})
        return reverse("public:status_feed")

    def items(self, country: Country | None) -> Iterable[StatusChange | TargetDateChange]:
        """Status changes and moves of target dates (postponements), newest first."""
        code = country.code if country else ""
        changes = [
            *selectors.latest_status_changes(country=code, limit=FEED_ITEMS),
            *selectors.latest_target_date_changes(country=code, limit=FEED_ITEMS),
        ]
        changes.sort(key=lambda c: (c.changed_at, isinstance(c, TargetDateChange)), reverse=True)
        return changes[:FEED_ITEMS]

    def item_title(self, change: StatusChange | TargetDateChange) -> str:
        if isinstance(change, TargetDateChange):
            verb = _("target date postponed") if change.is_postponement else _("target date moved")
            old, new = (
                long_date(day) if day else _("none") for day in (change.old_date, change.new_date)
            )
            return f"{change.commitment.title}: {verb} ({old} → {new})"
        if change.old_status:
            move = f"{change.get_old_status_display()} → {change.get_new_status_display()}"
        else:
            move = _("recorded as %(status)s") % {"status": change.get_new_status_display()}
        return f"{change.commitment.title}: {move}"

    def item_description(self, change: StatusChange) -> str:
        """The summary, as HTML (see the module's docstring): the note is escaped, never markup."""
        if isinstance(change, TargetDateChange):
            commitment = change.commitment
            text = without_double_stop(
                _("Postponed %(count)s time(s); originally %(date)s.")
                % {
                    "count": commitment.postponements,
                    "date": long_date(commitment.original_target_date),
                }
            )
            source = (
                " " + _("Source: %(title)s.") % {"title": change.source.title}
                if change.source
                else ""
            )
            return escape(f"{text} {change.reason}{source}")
        text = _("Status: %(status)s.") % {"status": change.get_new_status_display()}
        note = system_note(change.note)
        return escape(f"{text} {note}" if note else text)

    def item_link(self, change: StatusChange | TargetDateChange) -> str:
        if isinstance(change, TargetDateChange):
            return f"{change.commitment.get_absolute_url()}#target-date-change-{change.pk}"
        return f"{change.commitment.get_absolute_url()}#status-change-{change.pk}"

    def item_guid(self, change: StatusChange) -> str:
        return f"{settings.SITE_URL}{self.item_link(change)}"

    item_guid_is_permalink = False

    def item_pubdate(self, change: StatusChange | TargetDateChange) -> dt.datetime:
        return change.changed_at

    def item_updateddate(self, change: StatusChange | TargetDateChange) -> dt.datetime:
        return change.changed_at

    def item_categories(self, change: StatusChange | TargetDateChange) -> tuple[str, ...]:
        return (change.commitment.get_category_display(),)


status_change_feed = public_feed(StatusChangeFeed())


# --- iCalendar ------------------------------------------------------------------------------------


# RFC 5545 TEXT allows no control characters but HTAB (3.3.11 TSAFE-CHAR); line breaks are
# escaped as \n instead, and anything else would let a title end a line or confuse a parser.


def ical_escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11), dropping the control characters it forbids (and
    lone surrogates, which UTF-8 cannot encode)."""
    return (
        printable(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ical_fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, each continuation led by a space."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _ical_date(day: dt.date) -> str:
    """A DATE value (RFC 5545 3.3.4), four digits of year whatever the year (strftime writes
    year 1 as "1" on glibc)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _all_day(day: dt.date) -> list[str]:
    """DTSTART and DTEND of an all-day event on `day`. On the last day a date can hold there is
    no next day to end on; an all-day event without DTEND lasts that one day (RFC 5545 3.6.1),
    so a stored 31.12.9999 is still a valid event and never stops the whole calendar."""
    lines = [f"DTSTART;VALUE=DATE:{_ical_date(day)}"]
    if day < dt.date.max:
        lines.append(f"DTEND;VALUE=DATE:{_ical_date(day + dt.timedelta(days=1))}")
    return lines


def target_dates_calendar(
    commitments: Iterable[Commitment], *, base_url: str, now: dt.datetime, name: str
) -> str:
    """An iCalendar (RFC 5545) document with one all-day event per commitment's target date."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Commitment tracker//Target dates//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ical_escape(name)}",
    ]
    summary = _("Target date: %(title)s")
    for commitment in commitments:
        url = f"{base_url}{commitment.get_absolute_url()}"
        details = [_("Status: %(status)s.") % {"status": commitment.get_status_display()}]
        if commitment.target_amount is not None:
            amount = format_amount(commitment.target_amount, commitment.target_unit)
            details.append(_("Target: %(amount)s.") % {"amount": amount})
        details.append(_("Owner: %(country)s.") % {"country": commitment.owner_country.local_name})
        details.append(_("Details: %(url)s") % {"url": url})
        revised = commitment.updated_at or now
        lines += [
            "BEGIN:VEVENT",
            f"UID:commitment-{commitment.pk}-target-date@{host}",
            f"DTSTAMP:{_utc_stamp(revised)}",
            f"LAST-MODIFIED:{_utc_stamp(revised)}",
            f"SEQUENCE:{commitment.version}",
            *_all_day(commitment.target_date),
            f"SUMMARY:{ical_escape(summary % {'title': commitment.title})}",
            f"DESCRIPTION:{ical_escape(' '.join(details))}",
            f"CATEGORIES:{ical_escape(commitment.get_category_display())}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            f"STATUS:{'CANCELLED' if commitment.status == 'cancelled' else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{ical_fold(line)}\r\n" for line in lines)


@public_feed
def target_dates(request: HttpRequest, code: str | None = None) -> HttpResponse:
    country = country_or_404(code) if code else None
    commitments = selectors.commitments_with_target_dates(country=country.code if country else "")
    name = (
        _("Commitment target dates – %(country)s") % {"country": country.local_name}
        if country
        else _("Commitment target dates")
    )
    body = target_dates_calendar(
        commitments, base_url=request.build_absolute_uri("/")[:-1], now=clock.now(), name=name
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"target-dates-{country.code.lower()}.ics" if country else "target-dates.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
