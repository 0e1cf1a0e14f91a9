"""The record's rows as the API shows them, built by hand from the selectors' rows.

Each row's dict is made directly from the selector's rows (prefetched relations, the `stale`
annotation), so a page costs no queries beyond the selector's and little Python per row. The
links of a row (`api_url`, `transitions_url`, ...) come from `Links`, made once per request.
The serializers in `serializers.py` describe these rows in the schema and call them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import timezone

from commitments import fields as commitment_fields
from commitments import rules, selectors, translation
from commitments.messages import system_note
from commitments.models import (
    Commitment,
)

TRANSLATIONS_ALL = "all"
_ALLOWED = {status: rules.allowed_transitions(status) for status in rules.Status.values}
_SENTINEL_ID = 987654321987654321


class _Route:
    """An absolute URL of one API route for a given id or code, as an attribute of `Links`.

    The route is reversed once per request; each URL after that is a string concatenation, which
    matters because a page of 50 commitments with their evidence carries about 700 URLs.
    """

    def __init__(self, name: str, sentinel: str = str(_SENTINEL_ID)):
        self.name = name
        self.sentinel = sentinel

    def __set_name__(self, owner, attribute: str):
        self.attribute = attribute

    def __get__(self, links: Links | None, owner=None):
        if links is None:
            return self
        path = reverse(f"api:{self.name}", args=[self.sentinel])
        head, tail = path.rsplit(self.sentinel, 1)
        head = links.base + head

        def url(value) -> str:
            return f"{head}{value}{tail}"

        # A non-data descriptor: from now on the instance attribute answers without coming here.
        links.__dict__[self.attribute] = url
        return url


class Links:
    """Absolute URLs and local date-times for one request."""

    commitment = _Route("commitment-detail")
    commitment_evidence = _Route("commitment-evidence-list")
    commitment_history = _Route("commitment-history-list")
    commitment_transitions = _Route("commitment-transitions")
    evidence = _Route("evidence-detail")
    source = _Route("source-detail")
    country = _Route("country-detail", sentinel="ZZ")
    status_change = _Route("statuschange-detail")

    def __init__(self, request):
        self.base = request.build_absolute_uri("/")[:-1] if request is not None else ""
        # The language the text is shown in, and whether every language's is wanted too.
        self.language = translation.content_language()
        params = getattr(request, "query_params", {}) if request is not None else {}
        self.every_language = params.get("translations") == TRANSLATIONS_ALL
        # Looked up once: timezone.localtime() finds the current zone anew on every call.
        self.tz = timezone.get_current_timezone()

    def dt(self, value) -> str | None:
        return value.astimezone(self.tz).isoformat() if value is not None else None

    @cached_property
    def commitment_formats(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        """(key, format) of each formatted key of a commitment in the list, bound to this
        request."""
        return tuple((key, make(self)) for key, make in _LIST.formats)

    @cached_property
    def commitment_detail_formats(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        """(key, format) of each formatted key of one commitment, bound to this request."""
        return tuple((key, make(self)) for key, make in _DETAIL.formats)


def links_from(context) -> Links:
    links = context.get("links")
    if links is None:
        links = context["links"] = Links(context.get("request"))
    return links


def iso_datetime(value) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def iso_date(value) -> str | None:
    return value.isoformat() if value is not None else None


def evidence_data(evidence, links: Links) -> dict:
    return evidence_row_data(_evidence_columns(evidence), links)


def _evidence_columns(evidence) -> dict:
    """A loaded Evidence as a row of selectors.API_EVIDENCE_COLUMNS."""
    return {
        "id": evidence.pk,
        "commitment_id": evidence.commitment_id,
        "source_id": evidence.source_id,
        "source__title": evidence.source.title if evidence.source_id else None,
        "quote": evidence.quote,
        "url": evidence.url,
        "note": evidence.note,
        "observed_on": evidence.observed_on,
        "added_by_id": evidence.added_by_id,
    }


def evidence_row_data(e: dict, links: Links) -> dict:
    """One evidence row (selectors.API_EVIDENCE_COLUMNS) as the API shows it."""
    pk, commitment_id, source_id = e["id"], e["commitment_id"], e["source_id"]
    return {
        "id": pk,
        "api_url": links.evidence(pk),
        "commitment": commitment_id,
        "commitment_url": links.commitment(commitment_id),
        "source": source_id,
        "source_url": links.source(source_id) if source_id else None,
        "source_title": e["source__title"] if source_id else None,
        "quote": e["quote"],
        "url": e["url"],
        # A note the system wrote is stored as a code: the reader gets its text.
        "note": system_note(e["note"]),
        "observed_on": iso_date(e["observed_on"]),
        "added_by": e["added_by_id"],
    }


# --- The commitment as the API shows it ------------------------------------------------------
#
# Its model fields are those `commitment_fields` marks `api`, each shown as its model type says.
# The API adds keys of its own, each computed from a column and placed after a model field (or,
# with "", at the end). `_OUTPUTS` lists once, at import, every key with the column it reads and
# how it is formatted: the list turns each row into its dict with one zip and a call per formatted
# key, with no lookups per row. Formats are bound per request to `Links` (URLs, time zone).

Format = Callable[["Links"], Callable[[Any], Any]] | None
# What the list's rows carry for a many-to-many field (selectors.with_api_relations).
_MANY_COLUMNS = {"partner_countries": "partner_codes"}


def _static(function: Callable[[Any], Any]) -> Format:
    return lambda links: function


def _route(name: str) -> Format:
    return lambda links: getattr(links, name)


def _amount(places: int) -> Callable[[Any], str | None]:
    spec = f".{places}f"
    return lambda value: None if value is None else format(value, spec)


def _allowed(status: str) -> list[str]:
    return list(_ALLOWED.get(status, ()))


def _evidence_list(links: Links) -> Callable[[list[dict]], list[dict]]:
    return lambda rows: [evidence_row_data(e, links) for e in rows]


def _positions(rows: list[dict]) -> list[dict]:
    return [
        {
            "country": p["country_id"],
            "status": p["status"],
            "source": p["source_id"],
            "reported_on": iso_date(p["reported_on"]),
            "note": p["note"],
        }
        for p in rows
    ]


def _instrument_parties(rows: list[dict]) -> list[dict]:
    return [
        {
            "country": p["country_id"],
            "signed_on": iso_date(p["signed_on"]),
            "ratified_on": iso_date(p["ratified_on"]),
            "in_force_on": iso_date(p["in_force_on"]),
            "evidence": p["evidence_id"],
            "note": p["note"],
        }
        for p in rows
    ]


_API_EXTRAS: tuple[tuple[str, str, str, Format], ...] = (
    # (after, key, column, format)
    ("id", "url", "id", _route("commitment")),
    ("owner_country", "owner_country_url", "owner_country_id", _route("country")),
    ("description", "untranslated", "untranslated", None),
    ("description", "translations", "translations", None),
    ("status", "allowed_transitions", "status", _static(_allowed)),
    ("last_reviewed_at", "is_stale", "stale", None),
    ("progress", "progress_series", "progress_series", None),
    ("positions_diverge", "party_positions", "party_positions", _static(_positions)),
    ("instrument_type", "instrument_parties", "instrument_parties", _static(_instrument_parties)),
    ("instrument_type", "suggested_status", "suggested_status", None),
    ("", "evidence", "evidence", _evidence_list),
    ("", "evidence_url", "id", _route("commitment_evidence")),
    ("", "history_url", "id", _route("commitment_history")),
    ("", "transitions_url", "id", _route("commitment_transitions")),
)


def _model_output(name: str) -> tuple[str, Format]:
    """The column a model field is read from, and how its type is shown."""
    field = Commitment._meta.get_field(name)
    if field.many_to_many:
        if name not in _MANY_COLUMNS:
            raise ImproperlyConfigured(f"The API's list rows carry no column for {name!r}.")
        return _MANY_COLUMNS[name], None
    if isinstance(field, models.DateTimeField):
        return field.attname, lambda links: links.dt
    if isinstance(field, models.DateField):
        return field.attname, _static(iso_date)
    if isinstance(field, models.DecimalField):
        return field.attname, _static(_amount(field.decimal_places))
    return field.attname, None


def _outputs() -> tuple[tuple[str, str, Format], ...]:
    misplaced = {after for after, *_ in _API_EXTRAS} - {"", *commitment_fields.API}
    if misplaced:
        raise ImproperlyConfigured(f"API keys placed after fields it does not show: {misplaced}")
    outputs = []
    for name in (*commitment_fields.API, ""):
        if name:
            outputs.append((name, *_model_output(name)))
        outputs.extend(extra[1:] for extra in _API_EXTRAS if extra[0] == name)
    return tuple(outputs)


# What only one commitment shows (its detail, and the answer to each write), not the list: the
# parties' accounts are read from three more tables (selectors.with_party_accounts), which tripled
# the list's queries and cost it a third of its throughput. The list shows their stored summaries
# (`progress`, `positions_diverge`, `postponements`, `original_target_date`, `instrument_type`).
DETAIL_ONLY: frozenset[str] = frozenset(
    {"progress_series", "party_positions", "instrument_parties", "suggested_status"}
)


@dataclass(frozen=True)
class _Shape:
    keys: tuple[str, ...]
    read: Callable[[dict], tuple]
    formats: tuple[tuple[str, Format], ...]


def _shape(outputs: tuple[tuple[str, str, Format], ...]) -> _Shape:
    return _Shape(
        keys=tuple(key for key, _, _ in outputs),
        read=itemgetter(*(column for _, column, _ in outputs)),
        formats=tuple((key, format_) for key, _, format_ in outputs if format_ is not None),
    )


_OUTPUTS = _outputs()
_DETAIL = _shape(_OUTPUTS)
_LIST = _shape(tuple(output for output in _OUTPUTS if output[0] not in DETAIL_ONLY))
COMMITMENT_KEYS: tuple[str, ...] = _DETAIL.keys
COMMITMENT_LIST_KEYS: tuple[str, ...] = _LIST.keys


def commitment_data(c: Commitment, links: Links) -> dict:
    """A commitment loaded by selectors.commitment_api_list, as the API shows it."""
    language, every = links.language, links.every_language
    columns = commitment_fields.api_columns(language, every_language=every)
    row = {name: getattr(c, name) for name in columns}
    translated = commitment_fields.API_TRANSLATED
    row["untranslated"] = translation.pick(row, translated, language)
    row["translations"] = translation.every_translation(row, translated) if every else None
    row["stale"] = c.stale
    row["partner_codes"] = [country.code for country in c.partner_list]
    row["evidence"] = [_evidence_columns(e) for e in c.evidence_list]
    selectors.with_party_accounts({row["id"]: row})
    return commitment_detail_data(row, links)


def commitment_detail_data(r: dict, links: Links) -> dict:
    """A row from selectors.commitment_api_rows + with_api_relations + with_party_accounts, as
    one commitment is shown."""
    data = dict(zip(_DETAIL.keys, _DETAIL.read(r), strict=True))
    for key, format_ in links.commitment_detail_formats:
        data[key] = format_(data[key])
    return data


def commitment_row_data(r: dict, links: Links) -> dict:
    """A row from selectors.commitment_api_rows + with_api_relations, as the list shows it."""
    data = dict(zip(_LIST.keys, _LIST.read(r), strict=True))
    for key, format_ in links.commitment_formats:
        data[key] = format_(data[key])
    return data
