"""A commitment's fields, each declared once: who may edit it, where it shows, where it goes.

Every other list of the commitment's fields is derived from `FIELDS`: what the services accept
(`EDITABLE`), the API's columns, keys and schema, the admin form's lines and record, and the CSV
export's columns. A new model field that is not declared here fails `tests/test_fields.py`.

How a field is shown follows from its model type (dates as ISO dates, relations as their keys, ...);
the API and the CSV export add their own computed keys (links, `is_stale`, evidence counts).

A `translated` field has a column per language (`commitments.translation`): `title_en`,
`title_ru`, ... Those columns are what is edited (services, admin form) and exported (CSV); the
API shows the field under its own name in the requested language and accepts `title` (the English
text) and the other languages' columns (`title_ru`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from . import translation
from .models import Commitment


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    # Callers may set it through the services (and so in the admin form and the API's writes).
    # Status is not editable: it changes only through a status change, with a note.
    editable: bool = False
    api: bool = False  # the API shows it (and documents it in the schema)
    # The open data's commitments table has a column for it (commitments.opendata.schema), and so
    # the admin's CSV and spreadsheet exports.
    csv: bool = False
    # Admin form: put this editable field on the same line as the named one.
    admin_beside: str = ""
    # Admin change page: shown read-only in its "Record" section.
    admin_record: bool = False
    # It has a column per language (commitments.translation registers it).
    translated: bool = False
    # The API's write schema describes an editable API field with this (English, as the schema).
    api_help: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """The model fields behind it: its language columns (English first), or itself."""
        return translation.columns(self.name) if self.translated else (self.name,)


# In the order the API, the CSV export and the admin form show them.
FIELDS: tuple[Field, ...] = (
    Field("id", api=True),
    Field(
        "slug",
        editable=True,
        api=True,
        csv=True,
        api_help="Made from the title when left out on create.",
    ),
    Field(
        "title",
        editable=True,
        api=True,
        csv=True,
        translated=True,
        api_help="In English, the language the record is kept in.",
    ),
    Field(
        "description",
        editable=True,
        api=True,
        csv=True,
        translated=True,
        api_help="In English.",
    ),
    Field(
        "owner_country",
        editable=True,
        api=True,
        csv=True,
        api_help="ISO code of the owner country, e.g. KZ.",
    ),
    Field("partner_countries", editable=True, api=True, csv=True, api_help="ISO codes."),
    Field("category", editable=True, api=True, csv=True, admin_beside="owner_country"),
    Field("status", api=True, csv=True),
    Field("target_date", editable=True, api=True, csv=True),
    Field("original_target_date", api=True, csv=True, admin_record=True),
    Field("postponements", api=True, csv=True, admin_record=True),
    Field(
        "target_amount",
        editable=True,
        api=True,
        csv=True,
        api_help="Non-negative; give target_unit with it.",
    ),
    Field("target_unit", editable=True, api=True, csv=True, admin_beside="target_amount"),
    Field("announced_on", editable=True, api=True, csv=True, admin_beside="target_date"),
    Field("progress", api=True, csv=True, admin_record=True),
    Field("instrument_type", editable=True, api=True, csv=True, admin_beside="category"),
    Field("positions_diverge", api=True, csv=True, admin_record=True),
    Field("meeting", editable=True, csv=True),
    Field("responsible_users", editable=True),
    Field("notes", editable=True, api=True),
    Field("last_reviewed_at", api=True, csv=True, admin_record=True),
    Field("created_at", api=True, admin_record=True),
    Field("updated_at", api=True, admin_record=True),
    Field("version", api=True, admin_record=True),
)

TRANSLATED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.translated)
# Every model field the registry accounts for: each field, and each language column of the
# translated ones.
COLUMNS: tuple[str, ...] = tuple(
    name for f in FIELDS for name in ((f.name, *f.columns) if f.translated else f.columns)
)
# What the services accept: the editable fields' columns. A translated field's bare name is also
# accepted, meaning its English column (SOURCE_ALIASES), whatever language is active.
EDITABLE: tuple[str, ...] = tuple(name for f in FIELDS if f.editable for name in f.columns)
SOURCE_ALIASES: dict[str, str] = translation.source_columns(
    f.name for f in FIELDS if f.editable and f.translated
)
# The other languages' columns of the editable translated fields (`title_ru`, ...): the API's
# writes take them beside the bare name.
TRANSLATIONS: tuple[str, ...] = tuple(
    name
    for f in FIELDS
    if f.editable and f.translated
    for name in f.columns
    if name != SOURCE_ALIASES[f.name]
)
# Editable many-to-many fields: set after the row is saved, not assigned to it.
EDITABLE_RELATIONS = frozenset(
    name for name in EDITABLE if Commitment._meta.get_field(name).many_to_many
)
API: tuple[str, ...] = tuple(f.name for f in FIELDS if f.api)
# What the API's writes take by the fields' bare names: the editable fields it shows (a translated
# field's bare name is its English text; TRANSLATIONS are its other languages).
API_WRITABLE: tuple[str, ...] = tuple(f.name for f in FIELDS if f.editable and f.api)
API_HELP: dict[str, str] = {f.name: f.api_help for f in FIELDS if f.api_help}


def is_optional(name: str) -> bool:
    """Whether a write may leave the field out: the model lets it be empty. The slug, required
    by the model, is made from the title when left out, so it is optional to callers too."""
    field = Commitment._meta.get_field(name)
    return field.blank or isinstance(field, models.SlugField)


def empty_values() -> dict:
    """What create and PUT store for the API's optional fields left out, from each model field:
    no rows for a relation to many, NULL where the column takes it, else the empty text. (The
    slug is left to the services, which make it from the title.) A new list each time."""
    values: dict = {}
    for name in API_WRITABLE:
        field = Commitment._meta.get_field(name)
        if not field.blank:
            continue
        values[name] = [] if field.many_to_many else None if field.null else ""
    return values


API_TRANSLATED: tuple[str, ...] = tuple(name for name in API if name in TRANSLATED)


def api_columns(language: str, *, every_language: bool = False) -> tuple[str, ...]:
    """What the API's list reads with values() to show its fields in `language`: a relation as
    its key (owner_country_id), a translated field as its columns in `language` and in English
    (every language's with every_language; `translation.pick` chooses), and many-to-many fields
    not at all (the selector adds them for the page)."""
    chosen: list[str] = []
    for name in API:
        field = Commitment._meta.get_field(name)
        if field.many_to_many:
            continue
        if name in TRANSLATED:
            chosen.extend(
                translation.read_columns((name,), language, every_language=every_language)
            )
        else:
            chosen.append(field.attname)
    return tuple(chosen)


API_COLUMNS: tuple[str, ...] = api_columns(translation.SOURCE_LANGUAGE)
# A translated field is exported as one column per language (title_en, title_ru, ...).
CSV: tuple[str, ...] = tuple(name for f in FIELDS if f.csv for name in f.columns)
ADMIN_RECORD: tuple[str, ...] = tuple(f.name for f in FIELDS if f.admin_record)


def _admin_lines() -> tuple[str | tuple[str, ...], ...]:
    lines: dict[str, list[str]] = {}
    for field in FIELDS:
        if field.editable:
            # A translated field's English column here; its other languages have their sections.
            name = SOURCE_ALIASES.get(field.name, field.name)
            lines.setdefault(field.admin_beside or name, []).append(name)
    return tuple(names[0] if len(names) == 1 else tuple(names) for names in lines.values())


# The admin form's editable fields as fieldset lines: a name, or a tuple of names on one line.
ADMIN_LINES = _admin_lines()
# The admin form's section per other language: (language code, its columns of the editable
# translated fields).
ADMIN_TRANSLATION_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (language, tuple(translation.column(name, language) for name in SOURCE_ALIASES))
    for language in translation.TARGET_LANGUAGES
)
