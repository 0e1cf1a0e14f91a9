"""The kinds of suggestion, declared once.

A kind is what the analysis proposes (evidence for a commitment, a progress figure, a new
commitment, a meeting): its payload's fields and their types, which of them the reviewer may
change before accepting, which the `ingest_article` command prints, what accepting it does, and
whether it needs a commitment chosen. The model's choices, the admin's review form, the API's
accept body, the command and the services all read it here, so adding a kind is declaring it below
and writing its accept function (plus the migration its new choice makes).

This module imports no model: the models read it while they are being defined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

FieldType = Literal["text", "decimal", "date", "choice", "countries", "list"]


def _categories() -> list[tuple[str, str]]:
    from ..models import Category

    return Category.choices


@dataclass(frozen=True)
class PayloadField:
    """One key of a suggestion's payload.

    An `editable` field is offered to the reviewer (the admin form, the API's accept body) and
    needs a `label`; its `max_length`, decimal limits and `choices` (a function: the categories
    are a model's) bound what the reviewer may enter, in the form and the API alike."""

    name: str
    type: FieldType = "text"
    label: Promise | str = ""
    editable: bool = False
    # Printed by `ingest_article` (its JSON keys, in this order).
    printed: bool = True
    max_length: int | None = None
    max_digits: int = 20
    decimal_places: int = 2
    min_value: Decimal | int | None = None
    choices: Callable[[], list[tuple[str, Any]]] | None = None

    def form_field(self):
        from django import forms

        from ..rules import refuse_control_characters

        common = {"label": self.label, "required": False}
        if self.type == "countries":
            from ..models import Country

            return forms.ModelMultipleChoiceField(
                queryset=Country.objects.order_by("code"),
                to_field_name="code",
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if self.type == "text" and self.max_length and self.max_length > 100:
            widget = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
            return forms.CharField(max_length=self.max_length, widget=widget, **common)
        if self.type == "decimal":
            return forms.DecimalField(
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                min_value=self.min_value,
                **common,
            )
        if self.type == "date":
            return forms.DateField(**common)
        if self.type == "choice":
            # A blank first choice: a select always sends a value, and none must mean no change.
            return forms.ChoiceField(choices=[*BLANK_CHOICE_DASH, *self.choices()], **common)
        return forms.CharField(
            max_length=self.max_length, validators=[refuse_control_characters], **common
        )

    def serializer_field(self):
        from rest_framework import serializers

        from ..rest.serializers import TextField

        if self.type == "countries":
            from ..models import Country

            return serializers.SlugRelatedField(
                many=True, required=False, slug_field="code", queryset=Country.objects.all()
            )
        if self.type == "decimal":
            return serializers.DecimalField(
                required=False,
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                min_value=self.min_value,
                coerce_to_string=True,
            )
        if self.type == "date":
            return serializers.DateField(required=False)
        if self.type == "choice":
            return serializers.ChoiceField(required=False, choices=self.choices())
        return TextField(required=False, max_length=self.max_length)

    def as_change(self, value: Any) -> Any:
        """A reviewer's value as the payload keeps it (JSON: decimals and dates as text,
        countries as their codes)."""
        if self.type == "countries":
            return [getattr(country, "code", country) for country in value]
        return str(value) if self.type in ("decimal", "date") else value

    def initial(self, value: Any) -> Any:
        """The payload's value as the review form shows it: a number, a date, not their text."""
        if value in (None, ""):
            return None
        try:
            if self.type == "decimal":
                return Decimal(str(value))
            if self.type == "date":
                return date.fromisoformat(str(value))
        except (ArithmeticError, ValueError):
            return value  # shown as stored, for the reviewer to correct
        return value


@dataclass(frozen=True)
class SuggestionKind:
    name: str
    label: Promise | str
    fields: tuple[PayloadField, ...]
    # The function that records an accepted suggestion of this kind, by dotted path (it lives in
    # the services, which import the models): f(actor, suggestion, payload).
    accept: str
    # Accepting needs a commitment (proposed by the analysis or chosen by the reviewer).
    needs_commitment: bool

    @property
    def printed(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.printed)

    @cached_property
    def accept_function(self) -> Callable[..., None]:
        return import_string(self.accept)


_ACCEPT = "commitments.ingestion.services."

EVIDENCE = SuggestionKind(
    name="evidence",
    # One suggestion is one piece of evidence: singular, unlike the column heads "Evidence".
    label=pgettext_lazy("kind of suggestion", "Evidence"),
    fields=(),
    accept=_ACCEPT + "accept_evidence",
    needs_commitment=True,
)
OBSERVATION = SuggestionKind(
    name="observation",
    label=_("Progress figure"),
    fields=(
        PayloadField("value", "decimal", _("value"), editable=True, min_value=0),
        PayloadField("unit", "text", _("unit"), editable=True, max_length=20),
        PayloadField("period_start", "date", _("period start"), editable=True),
        PayloadField("period_end", "date", _("period end"), editable=True),
        PayloadField("period_label", printed=False),
        # Recorded figures for the same period and unit that differ from this one.
        PayloadField("conflicts_with", "list"),
    ),
    accept=_ACCEPT + "accept_observation",
    needs_commitment=True,
)
COMMITMENT = SuggestionKind(
    name="commitment",
    label=_("New commitment"),
    fields=(
        PayloadField("title", "text", _("title"), editable=True, max_length=300),
        PayloadField("category", "choice", _("category"), editable=True, choices=_categories),
        PayloadField("countries", "countries", _("countries"), editable=True),
        PayloadField("target_amount", "decimal", _("target amount"), editable=True, min_value=0),
        PayloadField("target_unit", "text", _("target unit"), editable=True, max_length=20),
        PayloadField("target_date", "date", _("target date"), editable=True, printed=False),
    ),
    # A commitment the reviewer chose means the announcement is not new: evidence for it.
    accept=_ACCEPT + "accept_commitment",
    needs_commitment=False,
)
MEETING = SuggestionKind(
    name="meeting",
    label=_("Meeting"),
    fields=(
        # The recorded meeting's key: the analysis's if it knew the meeting, else set on accepting.
        PayloadField("meeting"),
        PayloadField("name"),
        PayloadField("held_on", "date"),
        PayloadField("location"),
    ),
    accept=_ACCEPT + "accept_meeting",
    needs_commitment=False,
)

KINDS: tuple[SuggestionKind, ...] = (EVIDENCE, OBSERVATION, COMMITMENT, MEETING)
BY_NAME: Mapping[str, SuggestionKind] = {kind.name: kind for kind in KINDS}


def editable_fields() -> dict[str, PayloadField]:
    """The fields a reviewer may change, by name, in declaration order (a name two kinds share
    is one field)."""
    return {f.name: f for kind in KINDS for f in kind.fields if f.editable}


def field_names(kind: str) -> frozenset[str]:
    """The payload keys of the kind named `kind` (none for an unknown name)."""
    found = BY_NAME.get(kind)
    return frozenset(f.name for f in found.fields) if found else frozenset()


def form_fields() -> dict[str, Any]:
    return {name: field.form_field() for name, field in editable_fields().items()}


def serializer_fields() -> dict[str, Any]:
    return {name: field.serializer_field() for name, field in editable_fields().items()}


def reviewer_changes(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the reviewer entered (the admin form's or the API body's values) as the services'
    `changes`: payload fields as the payload keeps them, others (commitment, quote) as they are,
    empty ones left out."""
    fields = editable_fields()
    changes = {
        name: fields[name].as_change(value) if name in fields else value
        for name, value in values.items()
        if value is not None
    }
    return {name: value for name, value in changes.items() if value not in ("", [])}
