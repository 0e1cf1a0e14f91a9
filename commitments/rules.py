"""The rules of a commitment's life: which status moves are allowed and when it goes stale.

This is the one place these rules live. Models, services, admin, API and the reminder job all ask
here; none of them re-state a transition or a threshold.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from . import messages
from .formatting import short_date

# The tracker's two parties: a proposal naming neither country is about both.
PARTIES: tuple[str, ...] = ("KZ", "KG")


class Status(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    STALLED = "stalled", _("Stalled")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATUSES: frozenset[str] = frozenset({Status.COMPLETED, Status.CANCELLED})
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in Status.values if s not in FINAL_STATUSES)

ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.ANNOUNCED: (Status.AGREED, Status.STALLED, Status.CANCELLED),
    Status.AGREED: (Status.IN_PROGRESS, Status.STALLED, Status.CANCELLED),
    Status.IN_PROGRESS: (Status.COMPLETED, Status.STALLED, Status.CANCELLED),
    Status.STALLED: (Status.IN_PROGRESS, Status.CANCELLED),
    Status.COMPLETED: (),
    Status.CANCELLED: (),
}


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


# The statuses' names in the language active when the message is shown, never their codes:
# "Allowed moves: Agreed, Stalled, Cancelled" reads "Допустимые переходы: Согласовано, ...".
_lazy_label = lazy(_label, str)
_lazy_labels = lazy(
    lambda *statuses: ", ".join(
        pgettext("quoted status", "“%(status)s”") % {"status": _label(s)} for s in statuses
    ),
    str,
)


def transition_refusal(old: str, new: str) -> Promise:
    """Why `old -> new` is refused, naming the moves that are allowed (shown as is everywhere),
    each status by its name in the reader's language (the API adds the codes apart)."""
    moves = allowed_transitions(old)
    if not moves:
        return format_lazy(
            _("“{old}” is final: a commitment in this status cannot change status."),
            old=_lazy_label(old),
        )
    allowed = _lazy_labels(*moves)
    if new == old:
        return format_lazy(
            _("The commitment is already “{old}”. Allowed moves: {allowed}."),
            old=_lazy_label(old),
            allowed=allowed,
        )
    return format_lazy(
        _("Cannot move from “{old}” to “{new}”. Allowed moves from “{old}”: {allowed}."),
        old=_lazy_label(old),
        new=_lazy_label(new),
        allowed=allowed,
    )


def not_a_status(value: str) -> Promise:
    return format_lazy(
        _("“{value}” is not a status. Valid statuses: {statuses}."),
        value=value,
        statuses=", ".join(Status.values),
    )


class TransitionNotAllowed(ValidationError):
    """A status move the rules forbid; carries the allowed moves for every interface to show."""

    def __init__(self, old: str, new: str):
        self.old_status, self.new_status = old, new
        self.allowed = allowed_transitions(old)
        message = transition_refusal(old, new)
        super().__init__({"status": [ValidationError(message, code="transition_not_allowed")]})


def allowed_transitions(status: str) -> tuple[str, ...]:
    return tuple(str(s) for s in ALLOWED_TRANSITIONS.get(status, ()))


def check_transition(old: str, new: str) -> None:
    """Raise TransitionNotAllowed unless `old -> new` is one of the allowed moves."""
    if new not in Status.values:
        raise ValidationError({"status": [not_a_status(new)]}, code="invalid_status")
    if new not in ALLOWED_TRANSITIONS.get(old, ()):
        raise TransitionNotAllowed(old, new)


def is_final(status: str) -> bool:
    return status in FINAL_STATUSES


def stale_after(status: str) -> timedelta:
    """How long an open commitment in `status` may go without review before it is stale."""
    days = settings.COMMITMENT_STALE_DAYS_BY_STATUS.get(status, settings.COMMITMENT_STALE_DAYS)
    return timedelta(days=days)


def is_stale(status: str, last_reviewed_at: datetime, now: datetime) -> bool:
    """Stale means open and unreviewed for strictly longer than the threshold of its status."""
    if is_final(status):
        return False
    return now - last_reviewed_at > stale_after(status)


def stale_condition(now: datetime, prefix: str = "") -> Q:
    """The database form of `is_stale`, for filtering and annotating querysets.

    Statuses that share a threshold share one clause, so the common case (one threshold for all)
    is a single `status IN (...) AND last_reviewed_at < cutoff` that an index can serve.
    """
    by_cutoff: dict[datetime, list[str]] = {}
    for status in OPEN_STATUSES:
        by_cutoff.setdefault(now - stale_after(status), []).append(status)
    condition = Q()
    for cutoff, statuses in by_cutoff.items():
        condition |= Q(**{f"{prefix}status__in": statuses, f"{prefix}last_reviewed_at__lt": cutoff})
    return condition


# --- Legal instruments ----------------------------------------------------------------------------
# The steps of an agreement, treaty, protocol or memorandum, per party. A status move that follows
# from them is only proposed (staff confirm it with a note): the record may know more than the
# dates, e.g. that an agreement in force is already being implemented.

INSTRUMENT_STEPS: tuple[str, ...] = ("signed_on", "ratified_on", "in_force_on")


def suggested_status(
    status: str, instrument_type: str, parties: list[dict[str, object]], party_count: int
) -> str:
    """The status the instrument's per-party dates suggest, or "" when they suggest no move.

    `parties` holds each recorded party's dates (keys INSTRUMENT_STEPS); `party_count` is how many
    parties the commitment has (owner and partners). Signed by every party: agreed. In force for
    every party: in progress. Only moves the transition rules allow are proposed.
    """
    if not instrument_type or party_count == 0 or len(parties) < party_count:
        return ""
    if all(p.get("in_force_on") for p in parties):
        proposal = Status.IN_PROGRESS
    elif all(p.get("signed_on") for p in parties):
        proposal = Status.AGREED
    else:
        return ""
    if proposal == status:
        return ""
    if proposal == Status.IN_PROGRESS and status == Status.ANNOUNCED:
        return Status.AGREED  # one step at a time, as the transitions allow
    return proposal if proposal in allowed_transitions(status) else ""


def version_conflict(current_version: int) -> Promise:
    return format_lazy(
        _("The commitment has changed since it was read (now version {version})."),
        version=current_version,
    )


class VersionConflict(Exception):
    """The commitment changed since the caller read it (an If-Match that no longer matches)."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(version_conflict(current_version))


# --- Text every field may hold --------------------------------------------------------------------

# Control characters (C0 but tab, line feed and carriage return; DEL; C1) and the two noncharacters
# XML forbids: no person types them, XML 1.0 cannot carry them (one took every Atom feed down) and
# iCalendar forbids them. Refused where text comes in, dropped where text goes out.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# The same class as a regular expression for the database (PostgreSQL's and Python's syntax).
CONTROL_CHARACTERS_SQL = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def control_characters_refusal(text: str) -> ValidationError | None:
    """The error for text holding a control character (naming it), or None."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return ValidationError(
        messages.CONTROL_CHARACTER,
        code="control_character",
        params={"code": f"U+{ord(found.group()):04X}"},
    )


def refuse_control_characters(text: str) -> None:
    """A validator (form, serializer, import): the text holds no control character."""
    refusal = control_characters_refusal(text)
    if refusal is not None:
        raise refusal


def printable(text: str) -> str:
    """The text without control characters and lone surrogates: what a feed may always write."""
    text = CONTROL_CHARACTERS.sub("", text)
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- What counts as a verbatim quote -------------------------------------------------------------
# Verbatim means the same letters, digits, punctuation and letter case in the same order. White
# space is compared as one kind, and a run of it as one: the seed articles hold no-break spaces
# (U+00A0), which a browser copies as plain spaces, and a text area sends its line breaks as CR LF.
# Both sides are compared in Unicode's composed form (NFC), so "й" typed as "и" + breve is the same
# letter. The quote is stored as the source has it (`find_quote`): the record keeps its words.

_WHITE_SPACE = re.compile(r"\s+")


def _composed(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _quote_pattern(quote: str) -> re.Pattern[str]:
    words = _WHITE_SPACE.split(_composed(quote).strip())
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def find_quote(quote: str, text: str) -> str | None:
    """The passage of `text` that `quote` reproduces, as `text` has it; None when it has none."""
    if not quote or not quote.strip():
        return None
    found = _quote_pattern(quote).search(_composed(text))
    return found.group(0) if found else None


def quote_mismatch(quote: str, text: str) -> tuple[int, str, str]:
    """Where a quote that `text` does not hold first departs from it: (the position in the
    quote, counted from 1, of its first character no passage of `text` continues with; the
    quote's words just before it; its words from there on), each "…" where cut short."""
    quote = _composed(quote).strip()
    text = _composed(text)
    # The longest start of the quote found in the text: a start found means every shorter one is.
    found, missing = 0, len(quote)
    while missing - found > 1:
        middle = (found + missing) // 2
        if _quote_pattern(quote[:middle]).search(text):
            found = middle
        else:
            missing = middle
    start = max(0, found - QUOTE_CONTEXT)
    before = ("…" if start else "") + quote[start:found]
    end = found + QUOTE_CONTEXT
    after = quote[found:end] + ("…" if end < len(quote) else "")
    return found + 1, before.rstrip(), after.lstrip()


QUOTE_CONTEXT = 30


def quote_not_in_source(quote: str, text: str) -> list:
    """The refusal of a quote `text` does not hold: the rule, and where the quote departs."""
    position, before, after = quote_mismatch(quote, text)
    if position == 1:
        where = format_lazy(messages.QUOTE_START_NOT_IN_SOURCE, after=after)
    else:
        where = format_lazy(
            messages.QUOTE_DIFFERS_AT, position=position, before=before, after=after
        )
    return [messages.QUOTE_NOT_IN_SOURCE, where]


# --- Dates ----------------------------------------------------------------------------------------
# Every date the record holds (announced, targeted, published, observed, signed...) lies between
# the two states' first year of independence and the end of the century: a year 1 or 9999 is a
# typing slip, and 31.12.9999 has no next day for a calendar's event to end on.

EARLIEST_DATE = date(1991, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# A source is published "today" until it is today nowhere in the region: Bishkek's day begins
# an hour before Astana's, so an article dated today in Kyrgyzstan is not refused at 23:30 in
# Kazakhstan.
EASTERNMOST_ZONE = ZoneInfo("Asia/Bishkek")


def validate_record_date(value: date) -> None:
    """A model field's validator: refuse a date outside EARLIEST_DATE..LATEST_DATE."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            messages.DATE_OUT_OF_RANGE,
            code="date_out_of_range",
            params={"earliest": short_date(EARLIEST_DATE), "latest": short_date(LATEST_DATE)},
        )


def target_before_announcement(
    target: date | None, announced: date | None
) -> ValidationError | None:
    """The refusal of a target date earlier than the announcement, else None."""
    if target is None or announced is None or target >= announced:
        return None
    return ValidationError(
        messages.TARGET_BEFORE_ANNOUNCEMENT,
        code="target_before_announcement",
        params={"date": short_date(announced)},
    )


def published_in_future(published: date | None, now: datetime) -> ValidationError | None:
    """The refusal of a publication date after today (today anywhere in the region), else None."""
    today = now.astimezone(EASTERNMOST_ZONE).date()
    if published is None or published <= today:
        return None
    return ValidationError(
        messages.PUBLISHED_IN_FUTURE,
        code="published_in_future",
        params={"today": short_date(today)},
    )
