"""Serializers: declared fields describe the JSON (and the OpenAPI schema); reads are hand-written.

Read serializers build each row's dict directly from the selector's rows (prefetched relations,
the `stale` annotation), so a page costs no queries beyond the selector's and little Python per
row. Write serializers only parse and type-check input: they reject unknown fields and hand plain
values to `services`, which validate against the model and save.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from commitments import fields as commitment_fields
from commitments import rules, selectors, translation
from commitments.models import (
    Commitment,
    Country,
    Evidence,
    InstrumentType,
    Source,
    http_url_validator,
)
from commitments.progress import Progress
from commitments.rest.schema import COUNTRY_CODE_SCHEMA
from commitments.rest.serializers import StrictSerializer, TextField, no_lone_surrogates

MAX_ID = 2**63 - 1
TRANSLATIONS_ALL = "all"
_ALLOWED = {status: rules.allowed_transitions(status) for status in rules.Status.values}
_SENTINEL_ID = 987654321987654321
_ISO_CODE = re.compile(r"[A-Z]{2}")


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


def _dt(value) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


# --- Reads ----------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    api_url = serializers.URLField(read_only=True, help_text="This evidence in the API.")
    commitment = serializers.IntegerField(read_only=True)
    commitment_url = serializers.URLField(read_only=True)
    source = serializers.IntegerField(read_only=True, allow_null=True)
    source_url = serializers.URLField(read_only=True, allow_null=True)
    source_title = serializers.CharField(read_only=True, allow_null=True)
    quote = serializers.CharField(read_only=True, help_text="Verbatim from the source's text.")
    url = serializers.CharField(read_only=True, help_text="External http(s) link, or empty.")
    note = serializers.CharField(read_only=True)
    observed_on = serializers.DateField(read_only=True)
    added_by = serializers.IntegerField(read_only=True, allow_null=True, help_text="A user id.")

    def to_representation(self, evidence):
        return evidence_data(evidence, links_from(self.context))


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
        "note": e["note"],
        "observed_on": _date(e["observed_on"]),
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
            "reported_on": _date(p["reported_on"]),
            "note": p["note"],
        }
        for p in rows
    ]


def _instrument_parties(rows: list[dict]) -> list[dict]:
    return [
        {
            "country": p["country_id"],
            "signed_on": _date(p["signed_on"]),
            "ratified_on": _date(p["ratified_on"]),
            "in_force_on": _date(p["in_force_on"]),
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
        return field.attname, _static(_date)
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


class ProgressSeriesSerializer(serializers.Serializer):
    reported_by = serializers.CharField(allow_null=True, help_text="The party's ISO code.")
    source = serializers.IntegerField(allow_null=True, help_text="Without a party: the source.")
    progress = serializers.ChoiceField(choices=Progress.choices)
    figures = serializers.IntegerField(help_text="Comparable figures the assessment used.")
    latest = serializers.DecimalField(max_digits=22, decimal_places=2, allow_null=True)
    observed_rate = serializers.DecimalField(
        max_digits=22, decimal_places=2, allow_null=True, help_text="Per year."
    )
    needed_rate = serializers.DecimalField(
        max_digits=22, decimal_places=2, allow_null=True, help_text="Per year."
    )


class PartyPositionSerializer(serializers.Serializer):
    country = serializers.CharField()
    status = serializers.ChoiceField(choices=rules.Status.choices)
    source = serializers.IntegerField(allow_null=True)
    reported_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True)


class InstrumentPartySerializer(serializers.Serializer):
    country = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    ratified_on = serializers.DateField(allow_null=True)
    in_force_on = serializers.DateField(allow_null=True)
    evidence = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(allow_blank=True)


# Document the commitment in the schema (from the model's fields and these): as the list shows it
# (commitment_row_data writes it) and as one commitment is shown (commitment_data).
class CommitmentListItemSerializer(serializers.ModelSerializer):
    url = serializers.URLField(read_only=True, help_text="This commitment in the API.")
    owner_country_url = serializers.URLField(read_only=True)
    allowed_transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.Status.choices),
        read_only=True,
        help_text="The statuses this commitment may move to next.",
    )
    untranslated = serializers.ListField(
        child=serializers.ChoiceField(choices=commitment_fields.API_TRANSLATED),
        read_only=True,
        help_text=(
            "The fields shown in English because the requested language (Accept-Language) has "
            "no text for them yet; empty when none."
        ),
    )
    translations = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        allow_null=True,
        help_text=(
            "With `translations=all`: every language's text, e.g. "
            '`{"ru": {"title": "…", "description": "…"}, …}` ("" where there is none); '
            "otherwise null."
        ),
    )
    is_stale = serializers.BooleanField(read_only=True)
    instrument_type = serializers.ChoiceField(
        choices=InstrumentType.choices, allow_blank=True, read_only=True
    )
    evidence = EvidenceSerializer(many=True, read_only=True)
    evidence_url = serializers.URLField(read_only=True)
    history_url = serializers.URLField(read_only=True)
    transitions_url = serializers.URLField(read_only=True)

    class Meta:
        model = Commitment
        fields = COMMITMENT_LIST_KEYS
        read_only_fields = commitment_fields.API
        extra_kwargs = {
            "owner_country": {"help_text": "ISO 3166-1 alpha-2 code."},
            "partner_countries": {"help_text": "ISO codes."},
        }


class CommitmentSerializer(CommitmentListItemSerializer):
    """One commitment: the list's keys and the parties' accounts."""

    progress_series = ProgressSeriesSerializer(
        many=True,
        read_only=True,
        help_text=(
            "The progress method per series of figures: one per party country that reported "
            "them, else one per source (see the README)."
        ),
    )
    party_positions = PartyPositionSerializer(many=True, read_only=True)
    instrument_parties = InstrumentPartySerializer(many=True, read_only=True)
    suggested_status = serializers.ChoiceField(
        choices=rules.Status.choices,
        allow_blank=True,
        read_only=True,
        help_text=(
            "The status a legal instrument's per-party dates suggest; a proposal, made only by "
            "a status change with a note. Empty when they suggest no move."
        ),
    )

    class Meta(CommitmentListItemSerializer.Meta):
        fields = COMMITMENT_KEYS

    def to_representation(self, commitment):
        return commitment_data(commitment, links_from(self.context))


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


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    api_url = serializers.URLField(read_only=True)
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    published_on = serializers.DateField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="Where the article was published.")
    seed_file = serializers.CharField(read_only=True)

    def to_representation(self, source):
        links = links_from(self.context)
        return {
            "id": source.pk,
            "api_url": links.source(source.pk),
            "title": source.title,
            "publisher": source.publisher,
            "published_on": _date(source.published_on),
            "url": source.url,
            "seed_file": source.seed_file,
        }


class SourceDetailSerializer(SourceSerializer):
    text = serializers.CharField(read_only=True, help_text="The article's full text.")

    def to_representation(self, source):
        return {**super().to_representation(source), "text": source.text}


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)

    def to_representation(self, country):
        url = links_from(self.context).country(country.code)
        return {"code": country.code, "name": country.name, "url": url}


class StatusChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True)
    commitment = serializers.IntegerField(read_only=True)
    commitment_url = serializers.URLField(read_only=True)
    old_status = serializers.CharField(
        read_only=True, help_text="Empty for the first entry, when the record began."
    )
    new_status = serializers.ChoiceField(choices=rules.Status.choices, read_only=True)
    changed_by = serializers.CharField(read_only=True, allow_null=True, help_text="A username.")
    changed_at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True)

    def to_representation(self, change):
        links = links_from(self.context)
        user = change.changed_by
        return {
            "id": change.pk,
            "url": links.status_change(change.pk),
            "commitment": change.commitment_id,
            "commitment_url": links.commitment(change.commitment_id),
            "old_status": change.old_status,
            "new_status": change.new_status,
            "changed_by": user.get_username() if user is not None else None,
            "changed_at": _dt(change.changed_at),
            "note": change.note,
        }


# --- Writes ---------------------------------------------------------------------------------------


@extend_schema_field(COUNTRY_CODE_SCHEMA)
class CountryCodeField(serializers.CharField):
    """An ISO code of a country the tracker knows, returned as the Country."""

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        if not _ISO_CODE.fullmatch(code):
            raise serializers.ValidationError(_("Use an ISO 3166-1 alpha-2 code such as KZ."))
        country = Country.objects.filter(code=code).first()
        if country is None:
            known = ", ".join(Country.objects.values_list("code", flat=True))
            raise serializers.ValidationError(
                _("Unknown country “%(code)s”. Known: %(known)s.") % {"code": code, "known": known}
            )
        return country


class RowIdField(serializers.IntegerField):
    """An optional id of a `model` row, returned as the row; an unknown id says `not_found`."""

    def __init__(self, model: type[models.Model], not_found: str, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, required=False, allow_null=True, **kwargs)
        self.model = model
        self.not_found = not_found

    def run_validation(self, data=empty):
        pk = super().run_validation(data)  # checked against min_value and max_value first
        if pk is None:
            return None
        row = self.model.objects.filter(pk=pk).first()
        if row is None:
            raise serializers.ValidationError(self.not_found % {"id": pk})
        return row


NO_SUCH_SOURCE = gettext_lazy("There is no source with id %(id)s.")


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^\d{0,18}(?:\.\d{0,2})?$",
        "nullable": True,
        "description": "Non-negative, at most 2 decimal places, e.g. `2000000000.00`.",
    }
)
class AmountField(serializers.DecimalField):
    """A non-negative amount: the schema says so with a pattern, as a decimal string has no
    minimum."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=20, decimal_places=2, min_value=0, **kwargs)


def _translation_fields() -> dict[str, serializers.Field]:
    """A write field per other language's column of the translated fields (`title_ru`)."""
    declared = {}
    for name in commitment_fields.TRANSLATIONS:
        model_field = Commitment._meta.get_field(name)
        declared[name] = TextField(
            required=False,
            allow_blank=True,
            max_length=model_field.max_length,
            help_text=f"The text in {name.rsplit('_', 1)[1]}; left unchanged when left out.",
        )
    return declared


# A write names at most this many countries in a relation to many.
MAX_RELATED_CODES = 50


def _write_field(name: str) -> serializers.Field:
    """The API's write field of one of a commitment's fields (`fields.API_WRITABLE`), made from
    its model field: a new model field declared in the registry is writable with no code here."""
    field = Commitment._meta.get_field(name)
    options: dict[str, Any] = {}
    if commitment_fields.is_optional(name):
        options["required"] = False
    if name in commitment_fields.API_HELP:
        options["help_text"] = commitment_fields.API_HELP[name]
    if isinstance(field, models.SlugField):
        return serializers.SlugField(max_length=field.max_length, **options)
    if field.is_relation and field.related_model is Country:
        if field.many_to_many:
            return serializers.ListField(
                child=CountryCodeField(), max_length=MAX_RELATED_CODES, **options
            )
        return CountryCodeField(**options)
    if field.choices:
        return serializers.ChoiceField(choices=field.choices, allow_blank=field.blank, **options)
    if isinstance(field, models.DateTimeField):
        return serializers.DateTimeField(allow_null=field.null, **options)
    if isinstance(field, models.DateField):
        return serializers.DateField(allow_null=field.null, **options)
    if isinstance(field, models.DecimalField):
        return AmountField(allow_null=field.null, **options)
    if isinstance(field, models.BooleanField):
        return serializers.BooleanField(**options)
    if isinstance(field, models.IntegerField):
        return serializers.IntegerField(allow_null=field.null, **options)
    if isinstance(field, models.CharField | models.TextField):
        return TextField(max_length=field.max_length, allow_blank=field.blank, **options)
    raise ImproperlyConfigured(f"The API has no write field for {name} ({type(field).__name__}).")


# The registry's writable fields, after the other languages' columns (`title_ru`, ...).
_CommitmentFields = serializers.SerializerMetaclass(
    "_CommitmentFields",
    (StrictSerializer,),
    {
        **_translation_fields(),
        **{name: _write_field(name) for name in commitment_fields.API_WRITABLE},
    },
)


class CommitmentWriteSerializer(_CommitmentFields):
    """Create, replace (PUT) or change (PATCH) a commitment; status changes use transitions.

    Optional fields left out are stored empty on create and reset to empty by PUT; PATCH leaves
    them unchanged. `title` and `description` are the English text; the other languages' are
    `title_ru`, `description_kk`, ..., which PUT too leaves unchanged when left out, so a client
    that knows nothing of translations never erases them.
    """

    # The empty values are applied in validate(), not declared as field defaults: a declared
    # default also lands in the schema's PATCH body, and clients generated from it then send ""
    # for every field they did not set, blanking them.

    def validate(self, attrs):
        if self.partial:
            return attrs
        return {**commitment_fields.empty_values(), **attrs}


class CommitmentCreateSerializer(CommitmentWriteSerializer):
    status = serializers.ChoiceField(
        choices=rules.Status.choices, required=False, help_text="Initial status; default announced."
    )
    note = TextField(
        required=False, allow_blank=True, help_text="Why it is recorded (first history entry)."
    )


class CommitmentUpdateSerializer(CommitmentWriteSerializer):
    target_date_reason = TextField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Why the target date moves; required when a set target date changes.",
    )
    target_date_source = RowIdField(
        Source, NO_SUCH_SOURCE, help_text="The source that reports the new target date."
    )

    def validate(self, attrs):
        # Not fields of the commitment: PUT's empty values must not be mixed with them.
        extra = {
            k: attrs.pop(k) for k in ("target_date_reason", "target_date_source") if k in attrs
        }
        return {**super().validate(attrs), **extra}

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and "status" in data:
            raise serializers.ValidationError(
                {
                    "status": [
                        _(
                            "Change the status with POST to the commitment's transitions_url, "
                            "with a note."
                        )
                    ]
                }
            )
        return super().to_internal_value(data)


class TransitionSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=rules.Status.choices, help_text="The new status.")
    note = TextField(max_length=5000, help_text="Why the status changes (required).")


class EvidenceWriteSerializer(StrictSerializer):
    source = RowIdField(Source, NO_SUCH_SOURCE, help_text="A source id; required with a quote.")
    quote = TextField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Copied verbatim from the source's text.",
    )
    url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=500,
        validators=[http_url_validator, no_lone_surrogates],
        help_text="An http or https link.",
    )
    note = TextField(required=False, allow_blank=True)
    observed_on = serializers.DateField(required=False, help_text="Default: today.")


class PartyPositionWriteSerializer(StrictSerializer):
    country = CountryCodeField(help_text="The party country whose account this is.")
    status = serializers.ChoiceField(
        choices=rules.Status.choices, help_text="The status as that government reports it."
    )
    reported_on = serializers.DateField()
    source = RowIdField(Source, NO_SUCH_SOURCE)
    note = TextField(required=False, allow_blank=True, max_length=5000)


class InstrumentDatesWriteSerializer(StrictSerializer):
    country = CountryCodeField(help_text="The party country whose dates these are.")
    signed_on = serializers.DateField(required=False, allow_null=True)
    ratified_on = serializers.DateField(
        required=False, allow_null=True, help_text="Ratification or approval."
    )
    in_force_on = serializers.DateField(required=False, allow_null=True)
    evidence = RowIdField(Evidence, gettext_lazy("There is no evidence with id %(id)s."))
    note = TextField(required=False, allow_blank=True, max_length=5000)
