"""Reference data in admin: countries, meetings, sources (read-only text) and status history."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ..admin_kit import (
    AgreeingMessages,
    PlainTextForms,
    ReadOnlyInlineMixin,
    ReadOnlyMixin,
    ShowsRefusalOnForm,
)
from ..briefing import admin as briefing_admin
from ..formatting import place_name
from ..models import Country, Evidence, Meeting, Source, StatusChange


@admin.register(Country)
class CountryAdmin(PlainTextForms, AgreeingMessages, admin.ModelAdmin):
    """The record keeps a country's name in English; staff read it in their language."""

    list_display = ("code", "local_name")
    search_fields = ("code", "name")

    @admin.display(description=_("name"), ordering="code")
    def local_name(self, obj):
        return obj.local_name

    def get_fields(self, request, obj=None):
        return ("code", "local_name", "name") if obj is not None else ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        # The code is the key commitments point at.
        return ("code", "local_name") if obj is not None else ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "name":
            formfield.label = _("name in English")
            formfield.help_text = _(
                "As the record keeps it; pages in Russian, Kazakh and Kyrgyz show the name "
                "their language gives the country."
            )
        return formfield


@admin.register(Meeting)
class MeetingAdmin(PlainTextForms, AgreeingMessages, TranslationAdmin):
    """A meeting's name in each language (English required), one field per language."""

    list_display = ("name", "held_on", "place", "key")
    list_filter = ("held_on",)
    search_fields = ("name_en", "name_ru", "name_kk", "name_ky", "location", "key")
    date_hierarchy = "held_on"
    prepopulated_fields = {"key": ("name_en",)}
    actions = [briefing_admin.brief_meeting]

    @admin.display(description=_("location"), ordering="location")
    def place(self, obj):
        """The location in the reader's language ("Бишкек, Кыргызстан"), as pages show it."""
        return place_name(obj.location)

    def get_readonly_fields(self, request, obj=None):
        return ("place",) if obj is not None and obj.location else ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "location":
            formfield.label = _("location in English")
            formfield.help_text = _(
                "As the record keeps it; pages in Russian, Kazakh and Kyrgyz show the names "
                "their language gives the places it knows."
            )
        return formfield


class CitingEvidenceInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Evidence
    verbose_name = _("evidence citing this source")
    verbose_name_plural = _("evidence citing this source")
    fields = ("commitment_link", "quote", "url", "observed_on")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commitment")

    @admin.display(description=_("Commitment"))
    def commitment_link(self, obj):
        url = reverse("admin:commitments_commitment_change", args=[obj.commitment_id])
        return format_html('<a href="{}">{}</a>', url, obj.commitment.title)


def review_queue_url(source: Source) -> str:
    """The review queue showing `source`'s suggestions (those waiting, as the queue opens)."""
    queue = reverse("admin:commitments_suggestion_changelist")
    return f"{queue}?source__id__exact={source.pk}"


@admin.register(Source)
class SourceAdmin(PlainTextForms, ShowsRefusalOnForm, admin.ModelAdmin):
    """A source's text is what evidence quotes are checked against, so it is never edited."""

    list_display = ("title", "publisher", "language", "published_on", "evidence_count", "seed_file")
    list_filter = ("publisher", "language")
    search_fields = ("title", "publisher", "text")
    inlines = [CitingEvidenceInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        from django.db.models import Count

        # Rows never need a source's text (read once, on its own page).
        queryset = super().get_queryset(request).defer("text")
        return queryset.annotate(evidence_total=Count("evidence"))

    @admin.display(description=_("Evidence"), ordering="evidence_total")
    def evidence_count(self, obj):
        return obj.evidence_total

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("created_at",)
        return ("review_queue", "text", "seed_file", "created_at")

    @admin.display(description=_("Suggestions"))
    def review_queue(self, obj):
        """A link to this source's suggestions in the review queue, with how many wait."""
        counts = {
            "pending": obj.suggestions.filter(status="pending").count(),
            "total": obj.suggestions.count(),
        }
        text = _("Waiting for review: %(pending)d of %(total)d") % counts
        return format_html('<a href="{}">{}</a>', review_queue_url(obj), text)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # The analysis runs once this save commits: its suggestions are not there yet.
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("The article is being read for suggestions."),
                review_queue_url(obj),
                _("Review its suggestions"),
            ),
        )
        return response

    def get_inlines(self, request, obj):
        # A source being added has no evidence citing it yet.
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            from ..ingestion.forms import SourceAddForm

            kwargs["form"] = SourceAddForm
            kwargs["fields"] = None
            form = super().get_form(request, obj, **kwargs)
            return type("SourceAddFormFor", (form,), {"request": request})
        return super().get_form(request, obj, **kwargs)

    def save_form(self, request, form, change):
        # An added source is stored by the ingestion service, in save_model.
        return super().save_form(request, form, change) if change else form.instance

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("title", "publisher", "published_on", "url", "language", "text", "upload")
        return super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The same text added again is the source already stored: the admin goes on with that.
        obj.pk = form.save_through_services().pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """History is written by the services only: nobody adds, edits or deletes it here."""

    list_display = (
        "commitment",
        "old_status",
        "new_status",
        "actor_name",
        "changed_at",
        "note_text",
    )
    list_filter = ("new_status", "changed_at")
    search_fields = ("commitment__title", "note")
    list_select_related = ("commitment", "changed_by")
    date_hierarchy = "changed_at"
