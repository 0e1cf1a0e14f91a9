"""The inlines of a commitment's change page: evidence, progress observations, and the read-only
status history and reviews. Each writes only when its user may edit that commitment."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .. import access
from ..admin_kit import ReadOnlyInlineMixin
from ..messages import system_note
from ..models import (
    Country,
    Evidence,
    InstrumentParty,
    PartyPosition,
    ProgressObservation,
    Review,
    Source,
    StatusChange,
    TargetDateChange,
)

PUBLIC_NOTE_HELP = _("Public: shown with this evidence on the commitment's public page.")


class ScopedInlineMixin:
    """An inline on a commitment may write only when its user may edit that commitment."""

    may = staticmethod(access.may_edit)  # the access helper of what this inline writes

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return bool(access.may_edit_any(request.user))
        return bool(self.may(request.user, obj))


class SystemNotesInReadersLanguage(BaseInlineFormSet):
    """Existing evidence is shown read-only, its note as stored; a note the system wrote is
    stored as a code ("system:suggestion-accepted"), so the rows get it in the reader's language.
    Only the rows' display changes: a row this inline may not change is never saved."""

    def get_queryset(self):
        queryset = super().get_queryset()
        for evidence in queryset:  # the formset's cached rows, the ones its forms show
            evidence.note = system_note(evidence.note)
        return queryset


class EvidenceInline(ScopedInlineMixin, admin.StackedInline):
    """New evidence is added through services.evidence_add; existing evidence is shown as is.

    Each row is headed by its source and quote (`Evidence.__str__`).
    """

    model = Evidence
    formset = SystemNotesInReadersLanguage
    extra = 0
    may = staticmethod(access.may_add_evidence)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    can_delete = False
    fields = ("source", "quote", "url", "note", "observed_on", "actor_name")
    readonly_fields = ("actor_name",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "added_by")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "note":
            kwargs["help_text"] = PUBLIC_NOTE_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgressObservationInline(ScopedInlineMixin, admin.TabularInline):
    model = ProgressObservation
    extra = 0
    fields = (
        "value",
        "unit",
        "period_start",
        "period_end",
        "period_label",
        "reported_by",
        "evidence",
        "note",
    )
    # A table row of eight columns must fit a 1280 px page (the stylesheet sets the widths).
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evidence__source")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        evidence = formset.form.base_fields.get("evidence")
        if evidence is not None:
            # Only this commitment's evidence may back its observations.
            evidence.queryset = (
                Evidence.objects.filter(commitment=obj).select_related("source")
                if obj is not None
                else Evidence.objects.none()
            )
        return formset

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class StatusChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = StatusChange
    verbose_name = _("status change")
    verbose_name_plural = _("status history (recorded by status changes; never edited)")
    fields = ("changed_at", "old_status", "new_status", "actor_name", "note_text")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class ReviewInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Review
    verbose_name_plural = _("reviews (recorded by “mark reviewed”)")
    fields = ("reviewed_at", "actor_name", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewed_by")


class TargetDateChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = TargetDateChange
    verbose_name_plural = _(
        "target date changes (recorded when the target date moves; never edited)"
    )
    fields = (
        "changed_at",
        "old_date",
        "new_date",
        "is_postponement",
        "actor_name",
        "reason",
        "source",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "source")


class PartyFormSetChecks:
    """Refuses, as a form error on the row, a row this user may not record for its country."""

    user = None
    commitment = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            country = form.cleaned_data.get("country")
            if country is None:
                continue
            verdict = access.may_record_for_party(self.user, self.commitment, country.code)
            if not verdict:
                form.add_error("country", verdict.refusal)


class PartyInlineMixin(ScopedInlineMixin):
    """A party's own account (position, instrument dates): saved through its service, and
    offered only for the user's own countries among the commitment's parties
    (`access.may_record_for_party`); other rows are shown read-only."""

    extra = 0
    can_delete = False
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if obj is not None and "country" in fields:
            # The commitment's parties; which of them this user speaks for is checked per row
            # that changes (an unchanged row of the other party is left alone).
            parties = [obj.owner_country_id, *(c.code for c in obj.partner_countries.all())]
            fields["country"].queryset = Country.objects.filter(code__in=parties)
            formset = type(
                formset.__name__,
                (PartyFormSetChecks, formset),
                {"user": request.user, "commitment": obj},
            )
        if "source" in fields:
            fields["source"].queryset = Source.objects.defer("text")
        if "evidence" in fields:
            fields["evidence"].queryset = (
                Evidence.objects.filter(commitment=obj).select_related("source")
                if obj is not None
                else Evidence.objects.none()
            )
        return formset

    def has_add_permission(self, request, obj=None):
        return obj is not None and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)


class PartyPositionInline(PartyInlineMixin, admin.TabularInline):
    model = PartyPosition
    verbose_name_plural = _("each party's own account of the status")
    fields = ("country", "status", "reported_on", "source", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country", "source")


class InstrumentPartyInline(PartyInlineMixin, admin.TabularInline):
    model = InstrumentParty
    verbose_name_plural = _("signature, ratification and entry into force, per party")
    fields = ("country", "signed_on", "ratified_on", "in_force_on", "evidence", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country", "evidence__source")
