"""The API's read serializers: their declared fields describe each row in the OpenAPI schema;
what they return is made by hand in `rows.py`, so a page costs no query per row."""

from __future__ import annotations

from rest_framework import serializers

from commitments import fields as commitment_fields
from commitments import rules
from commitments.messages import system_note
from commitments.models import (
    Commitment,
    InstrumentType,
)
from commitments.progress import Progress

from .rows import (
    COMMITMENT_KEYS,
    COMMITMENT_LIST_KEYS,
    commitment_data,
    evidence_data,
    iso_date,
    iso_datetime,
    links_from,
)

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


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    api_url = serializers.URLField(read_only=True)
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    published_on = serializers.DateField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="Where the article was published.")
    seed_file = serializers.CharField(read_only=True)
    language = serializers.CharField(
        read_only=True, help_text="The language the article is written in (en, ru, kk, ky)."
    )

    def to_representation(self, source):
        links = links_from(self.context)
        return {
            "id": source.pk,
            "api_url": links.source(source.pk),
            "title": source.title,
            "publisher": source.publisher,
            "published_on": iso_date(source.published_on),
            "url": source.url,
            "seed_file": source.seed_file,
            "language": source.language,
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
            "changed_at": iso_datetime(change.changed_at),
            "note": system_note(change.note),
        }
