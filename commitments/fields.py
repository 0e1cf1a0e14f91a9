"""A commitment's fields, each declared once: who may edit it, where it shows, where it goes.

Every other list of the commitment's fields is derived from `FIELDS`: what the services accept
(`EDITABLE`), the API's columns, keys and schema, the admin form's lines and record, and the CSV
export's columns. A new model field that is not declared here fails `tests/test_fields.py`.

How a field is shown follows from its model type (dates as ISO dates, relations as their keys, ...);
the API and the CSV export add their own computed keys (links, `is_stale`, evidence counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Commitment


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    # Callers may set it through the services (and so in the admin form and the API's writes).
    # Status is not editable: it changes only through a status change, with a note.
    editable: bool = False
    api: bool = False  # the API shows it (and documents it in the schema)
    csv: bool = False  # the admin's CSV export has a column for it
    # Admin form: put this editable field on the same line as the named one.
    admin_beside: str = ""
    # Admin change page: shown read-only in its "Record" section.
    admin_record: bool = False


# In the order the API, the CSV export and the admin form show them.
FIELDS: tuple[Field, ...] = (
    Field("id", api=True, csv=True),
    Field("slug", editable=True, api=True, csv=True),
    Field("title", editable=True, api=True, csv=True),
    Field("description", editable=True, api=True),
    Field("owner_country", editable=True, api=True, csv=True),
    Field("partner_countries", editable=True, api=True, csv=True),
    Field("category", editable=True, api=True, csv=True, admin_beside="owner_country"),
    Field("status", api=True, csv=True),
    Field("target_date", editable=True, api=True, csv=True),
    Field("target_amount", editable=True, api=True, csv=True),
    Field("target_unit", editable=True, api=True, csv=True, admin_beside="target_amount"),
    Field("announced_on", editable=True, api=True, csv=True, admin_beside="target_date"),
    Field("meeting", editable=True, csv=True),
    Field("responsible_users", editable=True),
    Field("notes", editable=True, api=True),
    Field("last_reviewed_at", api=True, csv=True, admin_record=True),
    Field("created_at", api=True, admin_record=True),
    Field("updated_at", api=True, admin_record=True),
    Field("version", api=True, admin_record=True),
)

EDITABLE: tuple[str, ...] = tuple(f.name for f in FIELDS if f.editable)
# Editable many-to-many fields: set after the row is saved, not assigned to it.
EDITABLE_RELATIONS = frozenset(
    name for name in EDITABLE if Commitment._meta.get_field(name).many_to_many
)
API: tuple[str, ...] = tuple(f.name for f in FIELDS if f.api)
# What the API's list reads with values(): a relation as its key (owner_country_id), and
# many-to-many fields not at all (the selector adds them for the page).
API_COLUMNS: tuple[str, ...] = tuple(
    Commitment._meta.get_field(name).attname
    for name in API
    if not Commitment._meta.get_field(name).many_to_many
)
CSV: tuple[str, ...] = tuple(f.name for f in FIELDS if f.csv)
ADMIN_RECORD: tuple[str, ...] = tuple(f.name for f in FIELDS if f.admin_record)


def _admin_lines() -> tuple[str | tuple[str, ...], ...]:
    lines: dict[str, list[str]] = {}
    for field in FIELDS:
        if field.editable:
            lines.setdefault(field.admin_beside or field.name, []).append(field.name)
    return tuple(names[0] if len(names) == 1 else tuple(names) for names in lines.values())


# The admin form's editable fields as fieldset lines: a name, or a tuple of names on one line.
ADMIN_LINES = _admin_lines()
