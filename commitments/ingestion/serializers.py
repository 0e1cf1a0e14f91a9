"""The API's ingestion bodies: adding a source, accepting and rejecting a suggestion.

They live apart from the views so that the sources view (in commitments.api) can declare them in
the schema without importing the ingestion views, which import it."""

from __future__ import annotations

from rest_framework import serializers

from ..rest.serializers import StrictSerializer, TextField, no_control_characters
from . import kinds
from .models import Suggestion

LANGUAGES = ["en", "ru", "kk", "ky"]


class SuggestionSerializer(serializers.ModelSerializer):
    # Null for a proposed new commitment, until it is accepted. Its id, as evidence names it,
    # and its slug, as the public pages do.
    commitment = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The commitment's id, as in evidence."
    )
    commitment_slug = serializers.SlugRelatedField(
        source="commitment",
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The commitment's slug.",
    )

    class Meta:
        model = Suggestion
        fields = (
            "id", "source", "kind", "commitment", "commitment_slug", "quote", "start", "end",
            "score", "method", "method_version", "payload", "status", "reason", "reviewed_at",
        )  # fmt: skip


class AcceptSerializer(StrictSerializer):
    """Changes the reviewer makes before accepting; all optional (an empty body accepts as is)."""

    commitment = serializers.IntegerField(required=False, min_value=1, max_value=10**18 - 1)
    quote = TextField(required=False, max_length=5000)

    def get_fields(self):
        # Then the payload fields each kind lets the reviewer change (value, unit, ..., title).
        return {**super().get_fields(), **kinds.serializer_fields()}


class RejectSerializer(StrictSerializer):
    reason = TextField(max_length=1000)


# Two schemas, one per content type: one for both made openapi-python-client's `sources_create`
# fail to import (NameError: Unset).
class SourceCreateSerializer(StrictSerializer):
    """Pasted `text`, as JSON (a file goes as multipart/form-data)."""

    title = TextField(required=False, allow_blank=True, max_length=500)
    published_on = serializers.DateField()
    publisher = TextField(required=False, allow_blank=True, max_length=200)
    url = serializers.URLField(
        required=False, allow_blank=True, max_length=500, validators=[no_control_characters]
    )
    language = serializers.ChoiceField(choices=LANGUAGES, required=False, allow_blank=True)
    text = TextField(required=False, allow_blank=True, trim_whitespace=False)


class SourceUploadSerializer(SourceCreateSerializer):
    """An uploaded `file` (or pasted `text`, not both), as multipart/form-data."""

    file = serializers.FileField(required=False)


class SourceCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    created = serializers.BooleanField(help_text="False when the same text was already a source.")
