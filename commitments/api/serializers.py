"""Serializers: declared fields describe the JSON (and the OpenAPI schema); reads are hand-written.

Read serializers build each row's dict directly from the selector's rows (prefetched relations,
the `stale` annotation), so a page costs no queries beyond the selector's and little Python per
row. Write serializers only parse and type-check input: they reject unknown fields and hand plain
values to `services`, which validate against the model and save.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commitments import rules, selectors
from commitments.models import Category, Commitment, Country, Source, http_url_validator

MAX_ID = 2**63 - 1
_ALLOWED = {status: rules.allowed_transitions(status) for status in rules.Status.values}
_SENTINEL_ID = 987654321987654321
_ISO_CODE = re.compile(r"[A-Z]{2}")
COUNTRY_CODE_SCHEMA = {"type": "string", "pattern": "^[A-Z]{2}$", "example": "KZ"}


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
        # Looked up once: timezone.localtime() finds the current zone anew on every call.
        self.tz = timezone.get_current_timezone()

    def dt(self, value) -> str | None:
        return value.astimezone(self.tz).isoformat() if value is not None else None


def links_from(context) -> Links:
    links = context.get("links")
    if links is None:
        links = context["links"] = Links(context.get("request"))
    return links


def _dt(value) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def no_lone_surrogates(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise serializers.ValidationError(
            _("Contains characters that are not valid text.")
        ) from None


class TextField(serializers.CharField):
    """A CharField that also refuses text the database cannot store (lone surrogates)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(no_lone_surrogates)


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
    return evidence_row_data(
        {
            "id": evidence.pk,
            "commitment_id": evidence.commitment_id,
            "source_id": evidence.source_id,
            "source__title": evidence.source.title if evidence.source_id else None,
            "quote": evidence.quote,
            "url": evidence.url,
            "note": evidence.note,
            "observed_on": evidence.observed_on,
            "added_by_id": evidence.added_by_id,
        },
        links,
    )


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


class CommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="This commitment in the API.")
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    owner_country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code.")
    owner_country_url = serializers.URLField(read_only=True)
    partner_countries = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="ISO codes."
    )
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    status = serializers.ChoiceField(choices=rules.Status.choices, read_only=True)
    allowed_transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.Status.choices),
        read_only=True,
        help_text="The statuses this commitment may move to next.",
    )
    target_date = serializers.DateField(read_only=True, allow_null=True)
    target_amount = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, allow_null=True
    )
    target_unit = serializers.CharField(read_only=True)
    announced_on = serializers.DateField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)
    last_reviewed_at = serializers.DateTimeField(read_only=True)
    is_stale = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Bumped on every change.")
    evidence = EvidenceSerializer(many=True, read_only=True)
    evidence_url = serializers.URLField(read_only=True)
    history_url = serializers.URLField(read_only=True)
    transitions_url = serializers.URLField(read_only=True)

    def to_representation(self, commitment):
        return commitment_data(commitment, links_from(self.context))


def commitment_data(c: Commitment, links: Links) -> dict:
    """A commitment loaded by selectors.commitment_api_list, as the API shows it."""
    row = {name: getattr(c, name) for name in selectors.API_COMMITMENT_COLUMNS}
    row["stale"] = c.stale
    row["partner_codes"] = [country.code for country in c.partner_list]
    return commitment_row_data(
        row, links, evidence=[evidence_data(e, links) for e in c.evidence_list]
    )


def commitment_row_data(r: dict, links: Links, *, evidence: list[dict] | None = None) -> dict:
    """A row from selectors.commitment_api_rows + with_api_relations, as the API shows it."""
    pk = r["id"]
    amount = r["target_amount"]
    status = r["status"]
    return {
        "id": pk,
        "url": links.commitment(pk),
        "slug": r["slug"],
        "title": r["title"],
        "description": r["description"],
        "owner_country": r["owner_country_id"],
        "owner_country_url": links.country(r["owner_country_id"]),
        "partner_countries": r["partner_codes"],
        "category": r["category"],
        "status": status,
        "allowed_transitions": list(_ALLOWED.get(status, ())),
        "target_date": _date(r["target_date"]),
        "target_amount": None if amount is None else f"{amount:.2f}",
        "target_unit": r["target_unit"],
        "announced_on": _date(r["announced_on"]),
        "notes": r["notes"],
        "last_reviewed_at": links.dt(r["last_reviewed_at"]),
        "is_stale": r["stale"],
        "created_at": links.dt(r["created_at"]),
        "updated_at": links.dt(r["updated_at"]),
        "version": r["version"],
        "evidence": evidence
        if evidence is not None
        else [evidence_row_data(e, links) for e in r["evidence"]],
        "evidence_url": links.commitment_evidence(pk),
        "history_url": links.commitment_history(pk),
        "transitions_url": links.commitment_transitions(pk),
    }


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


class StrictSerializer(serializers.Serializer):
    """Refuses a body that is not a JSON object, and any field it does not declare."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Expected a JSON object, got %(type)s.") % {"type": type(data).__name__}
                    ]
                }
            )
        writable = {name for name, field in self.fields.items() if not field.read_only}
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
        return super().to_internal_value(data)


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


def _empty_values() -> dict:
    """What create and PUT store for optional fields left out (a new list each time)."""
    return {
        "description": "",
        "partner_countries": [],
        "target_date": None,
        "target_amount": None,
        "target_unit": "",
        "announced_on": None,
        "notes": "",
    }


class CommitmentWriteSerializer(StrictSerializer):
    """Create, replace (PUT) or change (PATCH) a commitment; status changes use transitions.

    Optional fields left out are stored empty on create and reset to empty by PUT; PATCH leaves
    them unchanged.
    """

    # The empty values are applied in validate(), not declared as field defaults: a declared
    # default also lands in the schema's PATCH body, and clients generated from it then send ""
    # for every field they did not set, blanking them.

    slug = serializers.SlugField(
        max_length=120, required=False, help_text="Made from the title when left out on create."
    )
    title = TextField(max_length=300)
    description = TextField(required=False, allow_blank=True)
    owner_country = CountryCodeField(help_text="ISO code of the owner country, e.g. KZ.")
    partner_countries = serializers.ListField(
        child=CountryCodeField(), required=False, max_length=50, help_text="ISO codes."
    )
    category = serializers.ChoiceField(choices=Category.choices)
    target_date = serializers.DateField(required=False, allow_null=True)
    target_amount = AmountField(
        required=False, allow_null=True, help_text="Non-negative; give target_unit with it."
    )
    target_unit = TextField(max_length=20, required=False, allow_blank=True)
    announced_on = serializers.DateField(required=False, allow_null=True)
    notes = TextField(required=False, allow_blank=True)

    def validate(self, attrs):
        if self.partial:
            return attrs
        return {**_empty_values(), **attrs}


class CommitmentCreateSerializer(CommitmentWriteSerializer):
    status = serializers.ChoiceField(
        choices=rules.Status.choices, required=False, help_text="Initial status; default announced."
    )
    note = TextField(
        required=False, allow_blank=True, help_text="Why it is recorded (first history entry)."
    )


class CommitmentUpdateSerializer(CommitmentWriteSerializer):
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
    source = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="A source id; required with a quote.",
    )
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

    def validate_source(self, value):
        if value is None:
            return None
        source = Source.objects.filter(pk=value).first()
        if source is None:
            raise serializers.ValidationError(
                _("There is no source with id %(id)s.") % {"id": value}
            )
        return source


def unique_slug(title: str) -> str:
    base = slugify(title)[:100].strip("-") or "commitment"
    slug, n = base, 1
    while Commitment.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
