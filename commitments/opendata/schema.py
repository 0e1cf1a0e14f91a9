"""The open data package's tables, declared once: the export writes them, the import reads them.

Each `Resource` is one CSV file of the package: its columns (name, Frictionless type, constraints,
description, and the model attribute behind it), its primary key and its foreign keys. A column
turns a value into its CSV text (`to_text`) and back (`from_text`) through one pair of functions
per type, so what is written and what is read cannot drift apart.

Keys are the ones that mean the same row in every database (ids do not): a commitment's `slug`, a
meeting's `key`, a country's `code`, and for the rows without a natural key (sources, evidence,
progress observations, status changes, target-date changes) their public identifier `uid`
(a UUID, `models.public_uid_field`). A party's position and its instrument dates are keyed by
(commitment, country), as the record allows one of each per party.

What never leaves: the commitment's internal notes, people (responsible users, who recorded,
changed, reviewed or added anything, emails), and what the public pages do not show: a source's
full text (press articles are the publishers'; a source carries its `content_hash`, the SHA-256
of its text, so an importer can find the same text in its own record to check quotes against),
a progress observation's note, bookkeeping times (created, updated, recorded), versions and ids.

Column names follow the API where it has one (`owner_country`, `partner_countries`); a relation's
column holds the related row's key and says so in its description.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from .. import fields as commitment_fields
from .. import translation
from ..models import (
    Commitment,
    Country,
    Evidence,
    InstrumentParty,
    Meeting,
    PartyPosition,
    ProgressObservation,
    Source,
    StatusChange,
    TargetDateChange,
    normalized_text,
)

PACKAGE_NAME = "kz-kg-commitments"
PACKAGE_TITLE = "Kazakhstan–Kyrgyzstan intergovernmental commitments"
PACKAGE_DESCRIPTION = (
    "The public record of what the governments of Kazakhstan and Kyrgyzstan have committed to "
    "each other, with its evidence, history, progress figures and each party's account, as kept "
    "by the councils' secretariats from published sources. Quotes are verbatim, in the language "
    "of their source; sources' full texts are not included (see each source's url)."
)
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
DESCRIPTOR = "datapackage.json"  # the package descriptor's name inside the zip
DATA_DIRECTORY = "data"  # the CSV files' folder inside the zip
MANY_SEPARATOR = " "  # between the keys of a to-many column (partner_countries: "KG UZ")


# -- One pair of functions per type: a value to its CSV text, and the text back. ------------------
# None is the empty cell in every type (the package's missingValues is [""]).


def _text_of_string(value: Any, column: Column) -> str:
    return str(value)


def _string_of_text(text: str, column: Column) -> Any:
    return text


def _text_of_integer(value: Any, column: Column) -> str:
    return str(int(value))


def _integer_of_text(text: str, column: Column) -> int:
    return int(text)


def _text_of_number(value: Any, column: Column) -> str:
    # Always the field's decimal places (2000000000.00): the same bytes whatever the database
    # returned (SQLite and PostgreSQL differ in trailing zeros).
    return f"{Decimal(value).quantize(Decimal(1).scaleb(-column.decimal_places)):f}"


def _number_of_text(text: str, column: Column) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return value


def _text_of_boolean(value: Any, column: Column) -> str:
    return "true" if value else "false"


def _boolean_of_text(text: str, column: Column) -> bool:
    if text not in ("true", "false"):
        raise ValueError(f"{text!r} is neither true nor false")
    return text == "true"


def _text_of_date(value: Any, column: Column) -> str:
    return value.isoformat()


def _date_of_text(text: str, column: Column) -> dt.date:
    return dt.date.fromisoformat(text)


def _text_of_datetime(value: Any, column: Column | None) -> str:
    # UTC with microseconds, always: one spelling for one instant.
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _datetime_of_text(text: str, column: Column | None) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone (write it in UTC, ending in Z)")
    return value.astimezone(dt.UTC)


def instant_text(value: dt.datetime | None) -> str:
    """An instant outside any table (the package's last_modified) as every datetime column
    spells it; "" for none."""
    return "" if value is None else _text_of_datetime(value, None)


def instant_of_text(text: str) -> dt.datetime | None:
    return _datetime_of_text(text, None) if text else None


CONVERTERS: dict[str, tuple[Callable[[Any, Column], str], Callable[[str, Column], Any]]] = {
    "string": (_text_of_string, _string_of_text),
    "integer": (_text_of_integer, _integer_of_text),
    "number": (_text_of_number, _number_of_text),
    "boolean": (_text_of_boolean, _boolean_of_text),
    "date": (_text_of_date, _date_of_text),
    "datetime": (_text_of_datetime, _datetime_of_text),
}


@dataclass(frozen=True)
class Column:
    """One CSV column: its name in the file, its Frictionless type and constraints, and `path`,
    the model attribute behind it as `values()` reads it (`title_ru`, `owner_country_id`,
    `commitment__slug`)."""

    name: str
    type: str
    path: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""
    format: str = ""  # Frictionless string format: "uuid", "uri"
    # The model field may be NULL: an empty cell reads as None (else as "" for strings).
    nullable: bool = False
    decimal_places: int = 0
    # A to-many relation (`partner_countries`): the cell lists the related keys, sorted, separated
    # by MANY_SEPARATOR; `path` names the many-to-many field.
    many: bool = False
    # Derived by the record from other rows (progress from the observations, postponements from
    # the target-date changes): exported for readers; an import lets the services recompute it.
    computed: bool = False
    # The one spelling a value is written in, when the record may hold several (a source's text:
    # the form its content hash is taken of).
    canonical: Callable[[Any], Any] | None = None

    def to_text(self, value: Any) -> str:
        """The CSV cell of a value as `values()` returns it (a list of keys for `many`)."""
        if self.many:
            return MANY_SEPARATOR.join(sorted(str(key) for key in value or ()))
        if value is not None and self.canonical is not None:
            value = self.canonical(value)
        if value is None or (value == "" and self.type == "string"):
            return ""
        return CONVERTERS[self.type][0](value, self)

    def from_text(self, text: str) -> Any:
        """The value of a CSV cell; raises ValueError naming what is wrong."""
        if self.many:
            return sorted(key for key in text.split(MANY_SEPARATOR) if key)
        if text == "":
            return None if self.nullable or self.type != "string" else ""
        return CONVERTERS[self.type][1](text, self)

    def descriptor(self) -> dict[str, Any]:
        """The column's Frictionless Table Schema field."""
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.format:
            described["format"] = self.format
        if self.type == "boolean":
            described["trueValues"] = ["true"]
            described["falseValues"] = ["false"]
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class ForeignKey:
    column: str
    resource: str
    reference: str  # the referenced resource's key column

    def descriptor(self) -> dict[str, Any]:
        return {
            "fields": [self.column],
            "reference": {"resource": self.resource, "fields": [self.reference]},
        }


@dataclass(frozen=True)
class Resource:
    """One CSV file of the package and the model it comes from."""

    name: str
    title: str
    description: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Stable row order, by exported values only, so that two databases holding the same record
    # write the same bytes.
    order_by: tuple[str, ...] = ()
    # Columns written only when asked for (`including`), never in the public package.
    optional: tuple[Column, ...] = ()
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def path(self) -> str:
        """The file's path inside the package (and the zip)."""
        return f"{DATA_DIRECTORY}/{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return self.by_name[name]

    @property
    def optional_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.optional)

    def including(self, names: Iterable[str]) -> Resource:
        """The resource with those of its optional columns named in `names`, after its own."""
        chosen = tuple(c for c in self.optional if c.name in set(names))
        if not chosen:
            return self
        return dataclasses.replace(self, columns=self.columns + chosen, optional=())

    @property
    def value_paths(self) -> tuple[str, ...]:
        """What `values()` reads for the columns that are not to-many."""
        return tuple(c.path for c in self.columns if not c.many)

    @property
    def many_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.many)

    def to_texts(self, values: Mapping[str, Any]) -> list[str]:
        """A CSV row from `values` keyed by each column's path (to-many columns: a list of keys)."""
        return [c.to_text(values[c.path]) for c in self.columns]

    def parse(self, row: Mapping[str, str]) -> dict[str, Any]:
        """{column name: value} of a CSV row keyed by column names; a column missing from the row
        is left out. Raises ValueError naming the column."""
        parsed = {}
        for column in self.columns:
            if column.name not in row:
                continue
            try:
                parsed[column.name] = column.from_text(row[column.name] or "")
            except (ValueError, ArithmeticError) as exc:
                raise ValueError(f"{self.name}.{column.name}: {exc}") from exc
        return parsed

    def descriptor(self) -> dict[str, Any]:
        """The resource's entry in datapackage.json, with its Table Schema."""
        schema: dict[str, Any] = {
            "fields": [c.descriptor() for c in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [fk.descriptor() for fk in self.foreign_keys]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": schema,
        }


# -- Columns made from the model fields behind them ------------------------------------------------

_TYPES: tuple[tuple[type[models.Field], str], ...] = (
    (models.BooleanField, "boolean"),
    (models.DateTimeField, "datetime"),  # before DateField: a DateTimeField is one
    (models.DateField, "date"),
    (models.DecimalField, "number"),
    (models.IntegerField, "integer"),  # and its positive and small kinds
)


def _model_field(model: type[models.Model], path: str) -> models.Field:
    """The model field at the end of `path` (`commitment__slug`, `owner_country_id`)."""
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    target = model._meta.get_field(last.removesuffix("_id") if last.endswith("_id") else last)
    if target.is_relation and last.endswith("_id"):
        return target.target_field
    return target


def column(
    model: type[models.Model], name: str, path: str = "", description: str = "", **options: Any
) -> Column:
    """A column whose type and constraints follow from the model field at `path` (default: its
    name): required unless the field may be blank, an enum of its choices, a URL's and a UUID's
    format; `options` override."""
    path = path or name
    outer = model._meta.get_field(path.split("__")[0].removesuffix("_id"))
    target = _model_field(model, path)
    kind = next((t for cls, t in _TYPES if isinstance(target, cls)), "string")
    derived: dict[str, Any] = {
        "required": not (outer.blank or outer.null),
        "nullable": bool(outer.null),
    }
    if isinstance(target, models.UUIDField):
        derived["format"] = "uuid"
    elif isinstance(target, models.URLField):
        derived["format"] = "uri"
    if isinstance(target, models.DecimalField):
        derived["decimal_places"] = target.decimal_places
    if target.choices and not outer.is_relation:
        derived["enum"] = tuple(str(value) for value, _label in target.choices if value != "")
    if not description:
        description = str(target.verbose_name).capitalize()
        if target.help_text:
            description = f"{description}. {target.help_text}"
    if options.get("computed"):
        description = f"{description} (Derived by the record from other tables.)"
    return Column(name=name, type=kind, path=path, description=description, **derived | options)


def _uid(model: type[models.Model], what: str) -> Column:
    return column(
        model,
        "uid",
        description=f"The {what}'s public identifier (a UUID), the same in every copy of it.",
        required=True,
        unique=True,
    )


def _commitment(model: type[models.Model]) -> Column:
    return column(
        model,
        "commitment",
        "commitment__slug",
        "The commitment (its slug, the key of commitments.csv).",
        required=True,
    )


def _source(model: type[models.Model], what: str) -> Column:
    return column(
        model,
        "source",
        "source__uid",
        f"The source {what} (its uid in sources.csv), if any.",
        required=False,
        nullable=True,
    )


def _country(model: type[models.Model], name: str, path: str, what: str, **options) -> Column:
    return column(model, name, path, f"{what} (its ISO 3166-1 alpha-2 code).", **options)


def _translated(model: type[models.Model], name: str, what: str) -> tuple[Column, ...]:
    """One column per language (English, the source language, first and required for names and
    titles)."""
    made = []
    for path in translation.columns(name):
        language = path.rsplit("_", 1)[1]
        source = language == translation.SOURCE_LANGUAGE
        made.append(
            column(
                model,
                path,
                description=f"{what} in {_LANGUAGE_NAMES[language]}"
                + ("" if source else " (empty when not translated yet)")
                + ".",
                required=source and name in _REQUIRED_TRANSLATED,
                nullable=False,
            )
        )
    return tuple(made)


_LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh", "ky": "Kyrgyz"}
_REQUIRED_TRANSLATED = {"title", "name"}
_PRIVATE_COMMITMENT_FIELDS = {"id", "notes", "responsible_users", "created_at", "updated_at"}
_COMMITMENT_COMPUTED = {"original_target_date", "postponements", "progress", "positions_diverge"}


def _commitment_columns() -> tuple[Column, ...]:
    """The commitment's columns are the field registry's (`fields.FIELDS`, those marked `csv`):
    a new field declared there for export appears here and in the admin's CSV and spreadsheet."""
    made: list[Column] = []
    for declared in commitment_fields.FIELDS:
        if not declared.csv or declared.name in _PRIVATE_COMMITMENT_FIELDS:
            continue
        name = declared.name
        computed = name in _COMMITMENT_COMPUTED
        if declared.translated:
            what = "Title" if name == "title" else name.capitalize()
            made.extend(_translated(Commitment, name, what))
        elif name == "slug":
            made.append(
                column(
                    Commitment,
                    "slug",
                    description="The commitment's stable identifier (as in its page's address).",
                    required=True,
                    unique=True,
                    pattern=r"^[-a-zA-Z0-9_]+$",
                )
            )
        elif name == "owner_country":
            made.append(
                _country(Commitment, name, "owner_country_id", "The owner country", required=True)
            )
        elif name == "partner_countries":
            made.append(
                Column(
                    name=name,
                    type="string",
                    path=name,
                    description="The partner countries' ISO codes, sorted, separated by a space.",
                    pattern=r"^[A-Z]{2}( [A-Z]{2})*$",
                    many=True,
                )
            )
        elif name == "meeting":
            made.append(
                column(
                    Commitment,
                    name,
                    "meeting__key",
                    "The meeting where it was announced (its key in meetings.csv), if any.",
                    required=False,
                    nullable=True,
                )
            )
        else:
            made.append(column(Commitment, name, computed=computed))
    return tuple(made)


COUNTRIES = Resource(
    name="countries",
    title="Countries",
    description="The countries that own or are partners in commitments.",
    model=Country,
    columns=(
        column(
            Country,
            "code",
            description="ISO 3166-1 alpha-2 code.",
            required=True,
            unique=True,
            pattern=r"^[A-Z]{2}$",
        ),
        column(Country, "name", description="The country's name (in English).", unique=True),
    ),
    primary_key=("code",),
    order_by=("code",),
)

MEETINGS = Resource(
    name="meetings",
    title="Meetings",
    description="Council sessions, forums and visits where commitments were announced.",
    model=Meeting,
    columns=(
        column(
            Meeting,
            "key",
            description="The meeting's stable identifier.",
            required=True,
            unique=True,
            pattern=r"^[-a-zA-Z0-9_]+$",
        ),
        *_translated(Meeting, "name", "Name"),
        column(Meeting, "held_on", description="The day it was held (or began)."),
        column(Meeting, "location"),
    ),
    primary_key=("key",),
    order_by=("key",),
)

SOURCES = Resource(
    name="sources",
    title="Sources",
    description=(
        "Published articles the evidence quotes. Their full texts are not included: each "
        "carries the SHA-256 of its text (content_hash) and, where known, its address."
    ),
    model=Source,
    columns=(
        _uid(Source, "source"),
        column(Source, "title"),
        column(Source, "publisher"),
        column(Source, "published_on"),
        column(Source, "url", description="Where the article is published, when known."),
        column(Source, "language", description="The language the article is written in."),
        column(
            Source,
            "content_hash",
            description=(
                "SHA-256 (hex) of the article's text, normalised to Unicode NFC and trimmed: "
                "the same text has the same hash in every record."
            ),
            pattern=r"^[0-9a-f]{64}$",
        ),
    ),
    primary_key=("uid",),
    order_by=("published_on", "uid"),
    # Only in a transfer between secretariats (`export_datapackage --with-source-texts`): the
    # articles are the publishers', so the public package points to them instead.
    optional=(
        column(
            Source,
            "text",
            description=(
                "The article's full text, normalised to Unicode NFC and trimmed: the text whose "
                "SHA-256 is content_hash. Only in a package made for another secretariat."
            ),
            canonical=lambda text: normalized_text(text).strip(),
        ),
    ),
)

COMMITMENTS = Resource(
    name="commitments",
    title="Commitments",
    description=(
        "One agreement, project, target or plan each. Columns marked as derived in their "
        "description are computed by the record from the other tables."
    ),
    model=Commitment,
    columns=_commitment_columns(),
    primary_key=("slug",),
    foreign_keys=(
        ForeignKey("owner_country", "countries", "code"),
        ForeignKey("meeting", "meetings", "key"),
    ),
    order_by=("slug",),
)

EVIDENCE = Resource(
    name="evidence",
    title="Evidence",
    description=(
        "What supports a commitment's status: a quote copied verbatim from a source, and/or a link."
    ),
    model=Evidence,
    columns=(
        _uid(Evidence, "evidence"),
        _commitment(Evidence),
        _source(Evidence, "quoted"),
        column(Evidence, "quote", description="Verbatim from the source's text, in its language."),
        column(Evidence, "url", description="A link to what supports the status (http or https)."),
        column(Evidence, "note"),
        column(Evidence, "observed_on", description="The day the evidence was observed."),
    ),
    primary_key=("uid",),
    foreign_keys=(
        ForeignKey("commitment", "commitments", "slug"),
        ForeignKey("source", "sources", "uid"),
    ),
    order_by=("commitment__slug", "observed_on", "uid"),
)

STATUS_CHANGES = Resource(
    name="status_changes",
    title="Status history",
    description="Every status change of every commitment, oldest first per commitment.",
    model=StatusChange,
    columns=(
        _uid(StatusChange, "status change"),
        _commitment(StatusChange),
        column(
            StatusChange,
            "old_status",
            description="The status before (empty when the record began).",
        ),
        column(StatusChange, "new_status", description="The status after."),
        column(StatusChange, "changed_at", description="When it changed (UTC)."),
        column(
            StatusChange,
            "note",
            description=(
                "Why, in the words of whoever changed it; a note the system wrote is a code "
                "starting with 'system:'."
            ),
        ),
    ),
    primary_key=("uid",),
    foreign_keys=(ForeignKey("commitment", "commitments", "slug"),),
    order_by=("commitment__slug", "changed_at", "uid"),
)

TARGET_DATE_CHANGES = Resource(
    name="target_date_changes",
    title="Target date changes",
    description="Every move of a commitment's target date, with its reason.",
    model=TargetDateChange,
    columns=(
        _uid(TargetDateChange, "target date change"),
        _commitment(TargetDateChange),
        column(TargetDateChange, "old_date", description="The target date before (empty: none)."),
        column(TargetDateChange, "new_date", description="The target date after (empty: none)."),
        column(
            TargetDateChange,
            "is_postponement",
            description="Whether the date moved later.",
            required=True,
        ),
        column(TargetDateChange, "reason", description="Why the date moved."),
        _source(TargetDateChange, "that reports the move"),
        column(TargetDateChange, "changed_at", description="When it was recorded (UTC)."),
    ),
    primary_key=("uid",),
    foreign_keys=(
        ForeignKey("commitment", "commitments", "slug"),
        ForeignKey("source", "sources", "uid"),
    ),
    order_by=("commitment__slug", "changed_at", "uid"),
)

PROGRESS_OBSERVATIONS = Resource(
    name="progress_observations",
    title="Progress observations",
    description=(
        "Figures measured toward commitments' quantitative targets, each for a stated period and "
        "from one piece of evidence. Two sources may report different figures for one period: "
        "both rows are kept."
    ),
    model=ProgressObservation,
    columns=(
        _uid(ProgressObservation, "observation"),
        _commitment(ProgressObservation),
        column(
            ProgressObservation,
            "evidence",
            "evidence__uid",
            "The evidence that reports the figure (its uid in evidence.csv).",
            required=True,
        ),
        column(ProgressObservation, "value", required=True),
        column(ProgressObservation, "unit"),
        column(ProgressObservation, "period_start"),
        column(ProgressObservation, "period_end"),
        column(
            ProgressObservation, "period_label", description="The period as the source names it."
        ),
        _country(
            ProgressObservation,
            "reported_by",
            "reported_by_id",
            "The party country whose figure this is, when the source says so",
            required=False,
        ),
    ),
    primary_key=("uid",),
    foreign_keys=(
        ForeignKey("commitment", "commitments", "slug"),
        ForeignKey("evidence", "evidence", "uid"),
        ForeignKey("reported_by", "countries", "code"),
    ),
    order_by=("commitment__slug", "period_end", "period_start", "uid"),
)

PARTY_POSITIONS = Resource(
    name="party_positions",
    title="Party positions",
    description="Each party country's own account of a commitment's status (one per party).",
    model=PartyPosition,
    columns=(
        _commitment(PartyPosition),
        _country(PartyPosition, "country", "country_id", "The party country", required=True),
        column(PartyPosition, "status", description="The status as that government reports it."),
        _source(PartyPosition, "of the account"),
        column(PartyPosition, "reported_on"),
        column(PartyPosition, "note"),
    ),
    primary_key=("commitment", "country"),
    foreign_keys=(
        ForeignKey("commitment", "commitments", "slug"),
        ForeignKey("country", "countries", "code"),
        ForeignKey("source", "sources", "uid"),
    ),
    order_by=("commitment__slug", "country_id"),
)

INSTRUMENT_PARTIES = Resource(
    name="instrument_parties",
    title="Instrument dates per party",
    description=(
        "For legal instruments: each party's signature, ratification (or approval) and entry "
        "into force (one row per party)."
    ),
    model=InstrumentParty,
    columns=(
        _commitment(InstrumentParty),
        _country(InstrumentParty, "country", "country_id", "The party country", required=True),
        column(InstrumentParty, "signed_on"),
        column(InstrumentParty, "ratified_on"),
        column(InstrumentParty, "in_force_on"),
        column(
            InstrumentParty,
            "evidence",
            "evidence__uid",
            "The evidence that reports the dates (its uid in evidence.csv), if any.",
        ),
        column(InstrumentParty, "note"),
    ),
    primary_key=("commitment", "country"),
    foreign_keys=(
        ForeignKey("commitment", "commitments", "slug"),
        ForeignKey("country", "countries", "code"),
        ForeignKey("evidence", "evidence", "uid"),
    ),
    order_by=("commitment__slug", "country_id"),
)

# In the order an import loads them: each after the ones its foreign keys point to.
RESOURCES: tuple[Resource, ...] = (
    COUNTRIES,
    MEETINGS,
    SOURCES,
    COMMITMENTS,
    EVIDENCE,
    STATUS_CHANGES,
    TARGET_DATE_CHANGES,
    PROGRESS_OBSERVATIONS,
    PARTY_POSITIONS,
    INSTRUMENT_PARTIES,
)
BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}
SOURCE_TEXT = "text"  # the sources' optional column


def resources(*, with_source_texts: bool = False) -> tuple[Resource, ...]:
    """The package's tables; `with_source_texts` adds the sources' full texts (for a transfer
    between secretariats, never the public package)."""
    if not with_source_texts:
        return RESOURCES
    return tuple(r.including((SOURCE_TEXT,)) if r is SOURCES else r for r in RESOURCES)


def resource(name: str) -> Resource:
    return BY_NAME[name]


def package_descriptor(
    last_modified: dt.datetime | None, resources: Iterable[Resource] = RESOURCES
) -> dict[str, Any]:
    """datapackage.json's content. `last_modified` is the record's last change (never the clock),
    so that the same record gives the same descriptor."""
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "licenses": [LICENSE],
    }
    if last_modified is not None:
        stamp = instant_text(last_modified)
        descriptor["last_modified"] = stamp
        descriptor["created"] = stamp
    descriptor["resources"] = [r.descriptor() for r in resources]
    return descriptor
