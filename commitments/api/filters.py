"""Query-string filters. A bad value is a 400 naming the parameter; nothing here reaches a 500."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import django_filters as filters
from django import forms
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from commitments import rules
from commitments.models import (
    Category,
    Commitment,
    Evidence,
    InstrumentType,
    StatusChange,
    iso_alpha2_validator,
)
from commitments.progress import Progress
from commitments.rest.pagination import Key
from commitments.rest.views import StrictFilterBackend
from commitments.search import search_commitments

MAX_ID = 2**63 - 1

# The orderings a client may ask for. Each is served by an index (updated_at+id, the primary key,
# target_date), so no ordering turns a page into a sort of the whole table.
COMMITMENT_ORDERINGS: dict[str, tuple[Key, ...]] = {
    "-updated_at": (Key("updated_at", True), Key("id", True)),
    "updated_at": (Key("updated_at"), Key("id")),
    "-id": (Key("id", True),),
    "id": (Key("id"),),
    "target_date": (Key("target_date", nullable=True), Key("id")),
    "-target_date": (Key("target_date", True, nullable=True), Key("id", True)),
}
DEFAULT_COMMITMENT_ORDERING = "-updated_at"


class SafeIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that the database can store (refuses e.g. year 1 at UTC-14)."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            # In UTC, because PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 parsers accept.
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("This date-time is out of range.")) from None


class SafeIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "KZ"})
class CountryCodeFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("validators", [iso_alpha2_validator])
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(filters.ChoiceFilter):
    """`true` or `false`, as JSON and generated clients write a boolean in a query string."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", (("true", "true"), ("false", "false")))
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet with cheap per-request copies of its filters.

    django-filter deep-copies every declared filter (choices, help texts, widgets) for each request
    only to set `model` and `parent` on the copies: about 7% of the commitment list's time. A
    shallow copy is enough for that; a method filter's proxy is re-bound to its own copy, which is
    the one thing the deep copy was needed for.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.base_filters = {}  # shadows the class's, so django-filter's deep copy copies nothing
        super().__init__(data, queryset, request=request, prefix=prefix)
        del self.base_filters
        self.filters = {name: self._copy(f) for name, f in type(self).base_filters.items()}

    def _copy(self, declared):
        filter_ = copy.copy(declared)
        if declared.method is not None:
            filter_.method = declared.method  # a FilterMethod bound to this copy, not the declared
        filter_.model = self.queryset.model
        filter_.parent = self
        return filter_


def translations_filter() -> filters.ChoiceFilter:
    """`translations=all`, read by the view (rows.Links): it chooses what each commitment
    carries, not which. A filter all the same, so that a bad value is a 400 and the schema has
    it."""
    return filters.ChoiceFilter(
        choices=[("all", "all")],
        method="filter_nothing",
        help_text=(
            "all: each commitment also carries every language's title and description "
            "(`translations`)."
        ),
    )


class CommitmentFilterSet(FilterSet):
    """A query string on commitments, read at `now`, the moment the view answers for."""

    class Meta:
        model = Commitment
        fields = []

    def __init__(self, data=None, queryset=None, *, now: datetime, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.now = now

    def get_form_class(self):
        """Build the form class once: its fields come from the declared filters, never from the
        request, and django-filter would otherwise rebuild them on every request (about a
        millisecond of the list's time)."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class
        return form_class

    def filter_nothing(self, queryset, name, value):
        return queryset


class CommitmentDetailFilter(CommitmentFilterSet):
    """One commitment's query string: only `translations`. The list's filters choose which
    commitments it shows; one commitment is named by its id, whatever else the URL says."""

    translations = translations_filter()


class CommitmentFilter(CommitmentFilterSet):
    """Filters commitments; `stale` at `now`."""

    # distinct=False: these are columns of the commitment, so a match cannot repeat a row, and
    # django-filter's default SELECT DISTINCT made PostgreSQL sort every matching row (11,303 of
    # 100,000 for status=in_progress&owner_country=KZ) instead of reading 51 from the index.
    status = filters.MultipleChoiceFilter(
        choices=rules.Status.choices,
        distinct=False,
        help_text="Repeat for several: status=agreed&status=stalled.",
    )
    owner_country = CountryCodeFilter(field_name="owner_country_id", help_text="ISO code, e.g. KZ.")
    partner_country = CountryCodeFilter(method="filter_partner", help_text="ISO code, e.g. KG.")
    category = filters.MultipleChoiceFilter(
        choices=Category.choices, distinct=False, help_text="Repeat for several."
    )
    stale = BooleanFilter(method="filter_stale", help_text="true or false.")
    target_date_after = filters.DateFilter(
        field_name="target_date",
        lookup_expr="gte",
        help_text="Target date on or after (YYYY-MM-DD).",
    )
    target_date_before = filters.DateFilter(
        field_name="target_date", lookup_expr="lte", help_text="Target date on or before."
    )
    progress = filters.MultipleChoiceFilter(
        choices=Progress.choices,
        distinct=False,
        help_text="Progress of the quantitative target; repeat for several.",
    )
    slipped = BooleanFilter(
        method="filter_slipped", help_text="true: the target date was postponed at least once."
    )
    diverging = BooleanFilter(
        field_name="positions_diverge",
        method="filter_diverging",
        help_text="true: the party countries report different statuses.",
    )
    instrument_type = filters.MultipleChoiceFilter(
        choices=InstrumentType.choices, distinct=False, help_text="Repeat for several."
    )
    updated_since = SafeIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time."
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text=(
            "Every word in the title or description: whole words on PostgreSQL (full-text, "
            'web-search syntax: "phrase", -word, or), any part of a word on SQLite.'
        ),
    )
    translations = translations_filter()
    # Applied by the keyset paginator, which must know the ordering to build its cursor.
    ordering = filters.ChoiceFilter(
        choices=[(name, name) for name in COMMITMENT_ORDERINGS],
        method="filter_nothing",
        help_text=f"Default {DEFAULT_COMMITMENT_ORDERING}.",
    )

    def filter_partner(self, queryset, name, value):
        partnered = Commitment.partner_countries.through.objects.filter(country_id=value)
        return queryset.filter(pk__in=partnered.values("commitment_id"))

    def filter_stale(self, queryset, name, value):
        return queryset.stale(self.now) if value == "true" else queryset.not_stale(self.now)

    def filter_slipped(self, queryset, name, value):
        return queryset.slipped() if value == "true" else queryset.exclude(postponements__gt=0)

    def filter_diverging(self, queryset, name, value):
        return queryset.filter(positions_diverge=value == "true")

    def filter_search(self, queryset, name, value):
        return search_commitments(queryset, value)


class CommitmentFilterBackend(StrictFilterBackend):
    """django-filter's backend, handing the view's moment (`view.now`) to the filterset."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "now": view.now}


class EvidenceFilter(FilterSet):
    commitment = IdFilter(field_name="commitment_id", help_text="A commitment's id.")
    source = IdFilter(field_name="source_id", help_text="A source's id.")

    class Meta:
        model = Evidence
        fields = []


class StatusChangeFilter(FilterSet):
    commitment = IdFilter(field_name="commitment_id", help_text="A commitment's id.")
    new_status = filters.MultipleChoiceFilter(choices=rules.Status.choices, distinct=False)
    changed_since = SafeIsoDateTimeFilter(field_name="changed_at", lookup_expr="gte")

    class Meta:
        model = StatusChange
        fields = []
