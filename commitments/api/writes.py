"""The API's write serializers: they parse and type-check input only, refuse fields they do not
declare, and hand plain values to `services`, which validate against the model and save. The
commitment's write fields come from the field registry (`commitments.fields`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from commitments import fields as commitment_fields
from commitments import rules
from commitments.models import (
    Commitment,
    Country,
    Evidence,
    Source,
    http_url_validator,
)
from commitments.rest.schema import COUNTRY_CODE_SCHEMA
from commitments.rest.serializers import StrictSerializer, TextField, no_lone_surrogates

MAX_ID = 2**63 - 1
_ISO_CODE = re.compile(r"[A-Z]{2}")


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
