"""Serializer pieces every part of the API's writes uses: bodies that must be JSON objects naming
only declared fields, and text the database can store."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

from commitments import rules


def no_lone_surrogates(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise serializers.ValidationError(
            _("Contains characters that are not valid text.")
        ) from None


def no_control_characters(value: str) -> None:
    refusal = rules.control_characters_refusal(value)
    if refusal is not None:
        raise serializers.ValidationError(refusal.messages[0], code="control_character")


class TextField(serializers.CharField):
    """A CharField that refuses what is not a JSON string (a number, `0`, is not text), text the
    database cannot store (lone surrogates) and control characters (but tab and line breaks)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators += [no_lone_surrogates, no_control_characters]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")  # DRF's "Not a valid string."
        return super().to_internal_value(data)


def refuse_undeclared(serializer: serializers.Serializer, data) -> None:
    """Refuse a body that is not a JSON object, or that names a field `serializer` does not
    declare writable (400 naming each)."""
    if not isinstance(data, Mapping):
        raise serializers.ValidationError(
            {
                "non_field_errors": [
                    _("Expected a JSON object, got %(type)s.") % {"type": type(data).__name__}
                ]
            }
        )
    writable = {name for name, field in serializer.fields.items() if not field.read_only}
    unknown = sorted(str(name) for name in data if name not in writable)
    if unknown:
        raise serializers.ValidationError(
            {
                name: [
                    _("Unknown field “%(name)s”. Writable fields: %(fields)s.")
                    % {"name": name, "fields": ", ".join(sorted(writable))}
                ]
                for name in unknown
            }
        )


class StrictSerializer(serializers.Serializer):
    """Refuses a body that is not a JSON object, and any field it does not declare."""

    def to_internal_value(self, data):
        refuse_undeclared(self, data)
        return super().to_internal_value(data)
