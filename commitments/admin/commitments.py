"""Commitments in admin: the list staff work from and the change page they keep it current on.

Every write goes through `services` (`saving.py`); who may write is `access`; which moves are
allowed is `rules`. The inlines of the change page live in `inlines.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .. import access, clock, fields, search, selectors
from ..admin_kit import AgreeingMessages, PlainTextForms
from ..briefing import admin as briefing_admin
from ..formatting import long_date
from ..models import Commitment
from ..rules import Status
from . import actions
from .forms import CommitmentAdminForm
from .inlines import (
    EvidenceInline,
    InstrumentPartyInline,
    PartyPositionInline,
    ProgressObservationInline,
    ReviewInline,
    StatusChangeInline,
    TargetDateChangeInline,
)
from .saving import ServiceBackedSaving

INTERNAL_NOTES_HELP = _(
    "Internal: curators' working notes (reasoning, where sources disagree). Never shown on the "
    "public pages or in the feeds."
)


def translation_sections() -> list[tuple[str, dict]]:
    """A section per language other than English, named in its own language, with its text of
    each translated field; the English text is in the main section."""
    names = dict(settings.CONTENT_LANGUAGES)
    return [
        (names[language], {"fields": columns, "classes": ("translation",)})
        for language, columns in fields.ADMIN_TRANSLATION_SECTIONS
    ]


class SplitFilter(admin.SimpleListFilter):
    """Splits the list in two by one rule of the queryset: "yes" where it holds, "no" elsewhere."""

    labels: tuple[str, str]  # the two choices' labels, for "yes" and "no"

    def lookups(self, request, model_admin):
        return [("yes", self.labels[0]), ("no", self.labels[1])]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        return self.split(queryset, holds=self.value() == "yes")

    def split(self, queryset, *, holds: bool):
        raise NotImplementedError


class StaleFilter(SplitFilter):
    title = _("stale")
    parameter_name = "stale"
    labels = (_("Stale"), _("Not stale"))

    def split(self, queryset, *, holds: bool):
        now = clock.now()
        return queryset.stale(now) if holds else queryset.not_stale(now)


class SlippedFilter(SplitFilter):
    title = _("target date")
    parameter_name = "slipped"
    labels = (_("Postponed"), _("Never postponed"))

    def split(self, queryset, *, holds: bool):
        return queryset.slipped() if holds else queryset.filter(postponements=0)


class CountryScopedPermissions:
    """A ModelAdmin mixin: the model permission AND the country rule of `access`."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and bool(access.may_edit_any(request.user))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and bool(access.may_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and bool(access.may_delete(request.user, obj))


@admin.register(Commitment)
class CommitmentAdmin(
    PlainTextForms,
    AgreeingMessages,
    CountryScopedPermissions,
    ServiceBackedSaving,
    TranslationAdmin,
):
    form = CommitmentAdminForm
    list_display = (
        "title",
        "owner",
        "partners",
        "status",
        "category",
        "target_date",
        "postponed",
        "progress",
        "diverging",
        "last_reviewed_at",
        "stale_marker",
    )
    list_filter = (
        "status",
        ("owner_country", admin.RelatedFieldListFilter),
        ("partner_countries", admin.RelatedFieldListFilter),
        "category",
        StaleFilter,
        "progress",
        SlippedFilter,
        "positions_diverge",
        "instrument_type",
    )
    # Shows the search box; what it finds is `search.search_with_quotes` (get_search_results):
    # the public pages' search (every language's text, any letter case of any script) and quotes.
    search_fields = ("title",)
    list_select_related = ("owner_country",)
    ordering = ("-updated_at", "-id")
    list_per_page = 50
    filter_horizontal = ("partner_countries", "responsible_users")
    actions = [
        actions.mark_reviewed,
        actions.change_status,
        actions.export_csv,
        briefing_admin.brief_commitments,
        actions.export_xlsx,
    ]
    change_status_template = "admin/commitments/commitment/change_status.html"

    class Media:
        # Keeps the change page within 1280 px: long meeting names, the observations table.
        css = {"all": ("admin/commitments/change_form.css",)}

    # --- list ---------------------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        # No duplicates to remove: the search filters by subqueries, never by a join.
        return search.search_with_quotes(queryset, search_term), False

    def get_queryset(self, request):
        return selectors.commitment_admin_list(now=clock.now())

    @admin.display(description=_("Owner"), ordering="owner_country__code")
    def owner(self, obj):
        return obj.owner_country.code

    @admin.display(description=_("Partners"))
    def partners(self, obj):
        return ", ".join(c.code for c in obj.partner_countries.all()) or "—"

    @admin.display(description=_("Stale"), ordering="stale")
    def stale_marker(self, obj):
        if obj.stale:
            return format_html(
                '<span class="stale-marker" title="{}">⚠ {}</span>', _("Needs review"), _("stale")
            )
        return ""

    @admin.display(description=_("Postponed"), ordering="postponements")
    def postponed(self, obj):
        if not obj.postponements:
            return ""
        return format_html(
            '<span class="postponed" title="{}">{}×</span>',
            _("originally %(date)s") % {"date": long_date(obj.original_target_date)},
            obj.postponements,
        )

    @admin.display(description=_("Parties"), boolean=False, ordering="positions_diverge")
    def diverging(self, obj):
        return (
            format_html('<span class="diverging">{}</span>', _("differ"))
            if obj.positions_diverge
            else ""
        )

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # deleting goes through services, one at a time
        return found

    # --- the change page ----------------------------------------------------------------------

    def get_inlines(self, request, obj):
        if obj is None:
            return [EvidenceInline]
        inlines = [EvidenceInline, ProgressObservationInline, PartyPositionInline]
        if obj.instrument_type:
            inlines.append(InstrumentPartyInline)
        return [*inlines, StatusChangeInline, TargetDateChangeInline, ReviewInline]

    def get_fieldsets(self, request, obj=None):
        described = {"fields": fields.ADMIN_LINES}
        if obj is None:
            return [
                (None, described),
                *translation_sections(),
                (_("Status"), {"fields": ("status", "status_note")}),
            ]
        status_fields = ("current_status", "suggested_status")
        editable = self.has_change_permission(request, obj)
        if editable:
            status_fields += ("new_status", "status_note", "expected_version")
        moving = (
            [
                (
                    _("Moving the target date"),
                    {"fields": ("target_date_reason", "target_date_source")},
                )
            ]
            if editable
            else []
        )
        return [
            (_("Status"), {"fields": status_fields}),
            (None, described),
            *moving,
            *translation_sections(),
            (_("Record"), {"fields": fields.ADMIN_RECORD}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("current_status", "suggested_status", *fields.ADMIN_RECORD)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": (fields.SOURCE_ALIASES["title"],)} if obj is None else {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "notes":
            kwargs["help_text"] = INTERNAL_NOTES_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("Suggested by the instrument's dates"))
    def suggested_status(self, obj):
        suggestion = selectors.instrument_suggestion(obj)
        if not suggestion:
            return "—"
        return format_html(
            '<strong class="suggested-status">{}</strong> <span class="help">({})</span>',
            Status(suggestion).label,
            _("a proposal: move the status yourself, with a note, if the record agrees"),
        )

    @admin.display(description=_("Current status"))
    def current_status(self, obj):
        moves = obj.allowed_next_statuses
        allowed = ", ".join(moves) if moves else _("none: this status is final")
        stale = _(" · stale, needs review") if obj.is_stale() else ""
        return format_html(
            '<strong class="current-status">{}</strong> <span class="help">({}: {}){}</span>',
            obj.get_status_display(),
            _("allowed moves"),
            allowed,
            stale,
        )
