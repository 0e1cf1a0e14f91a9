"""Commitments in admin: the list staff work from and the change page they keep it current on.

Every write goes through `services`; who may write is `access`; which moves are allowed is `rules`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html

from .. import access, fields, selectors, services
from ..models import Commitment, Evidence, ProgressObservation, Review, StatusChange
from . import actions
from .forms import DESCRIPTIVE_FIELDS, CommitmentAdminForm
from .read_only import ReadOnlyInlineMixin


class StaleFilter(admin.SimpleListFilter):
    title = "stale"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "Stale"), ("no", "Not stale")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.stale(now)
        if self.value() == "no":
            return queryset.not_stale(now)
        return queryset


class ScopedInlineMixin:
    """An inline on a commitment may write only when its user may edit that commitment."""

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return access.can_edit_any(request.user)
        return access.can_edit_commitment(request.user, obj)


class EvidenceInline(ScopedInlineMixin, admin.StackedInline):
    """New evidence is added through services.evidence_add; existing evidence is shown as is."""

    model = Evidence
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    can_delete = False
    fields = ("source", "quote", "url", "note", "observed_on", "added_by")
    readonly_fields = ("added_by",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "added_by")

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
        "evidence",
        "note",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evidence")

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
    verbose_name = "status change"
    verbose_name_plural = "status history (recorded by status changes; never edited)"
    fields = ("changed_at", "old_status", "new_status", "changed_by", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class ReviewInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Review
    verbose_name_plural = "reviews (recorded by “mark reviewed”)"
    fields = ("reviewed_at", "reviewed_by", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewed_by")


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    form = CommitmentAdminForm
    list_display = (
        "title",
        "owner",
        "partners",
        "status",
        "category",
        "target_date",
        "last_reviewed_at",
        "stale_marker",
    )
    list_filter = (
        "status",
        ("owner_country", admin.RelatedFieldListFilter),
        ("partner_countries", admin.RelatedFieldListFilter),
        "category",
        StaleFilter,
    )
    search_fields = ("title", "description", "evidence__quote")
    list_select_related = ("owner_country",)
    ordering = ("-updated_at", "-id")
    list_per_page = 50
    filter_horizontal = ("partner_countries", "responsible_users")
    actions = [actions.mark_reviewed, actions.change_status, actions.export_csv]
    change_status_template = "admin/commitments/commitment/change_status.html"

    # --- list ---------------------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.commitment_admin_list(now=timezone.now())

    @admin.display(description="Owner", ordering="owner_country__code")
    def owner(self, obj):
        return obj.owner_country.code

    @admin.display(description="Partners")
    def partners(self, obj):
        return ", ".join(c.code for c in obj.partner_countries.all()) or "—"

    @admin.display(description="Stale", ordering="stale")
    def stale_marker(self, obj):
        if obj.stale:
            return format_html(
                '<span class="stale-marker" title="{}">⚠ stale</span>', "Needs review"
            )
        return ""

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # deleting goes through services, one at a time
        return found

    # --- permissions: model permission AND the country rule -----------------------------------

    def has_add_permission(self, request):
        return super().has_add_permission(request) and access.can_edit_any(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and access.can_edit_commitment(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and access.can_delete_commitment(request.user, obj)

    # --- the change page ----------------------------------------------------------------------

    def get_inlines(self, request, obj):
        if obj is None:
            return [EvidenceInline]
        return [EvidenceInline, ProgressObservationInline, StatusChangeInline, ReviewInline]

    def get_fieldsets(self, request, obj=None):
        described = {"fields": fields.ADMIN_LINES}
        if obj is None:
            return [
                (None, described),
                ("Status", {"fields": ("status", "status_note")}),
            ]
        status_fields = ("current_status",)
        if self.has_change_permission(request, obj):
            status_fields += ("new_status", "status_note", "expected_version")
        return [
            ("Status", {"fields": status_fields}),
            (None, described),
            ("Record", {"fields": fields.ADMIN_RECORD}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("current_status", *fields.ADMIN_RECORD)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)} if obj is None else {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    @admin.display(description="Current status")
    def current_status(self, obj):
        moves = obj.allowed_next_statuses
        allowed = ", ".join(moves) if moves else "none: this status is final"
        stale = " · stale, needs review" if obj.is_stale() else ""
        return format_html(
            '<strong class="current-status">{}</strong> '
            '<span class="help">(allowed moves: {}){}</span>',
            obj.get_status_display(),
            allowed,
            stale,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.VersionConflict:
            # Someone saved between this form's validation and its save; the admin's transaction
            # has rolled back everything this request wrote.
            self.message_user(
                request,
                "Someone else saved this commitment while you were editing it, so nothing of "
                "yours was saved. Review their change below and make yours again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_form(self, request, form, change):
        # The form's instance stays unsaved; save_model hands the cleaned data to the services.
        return form.instance

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {
                name: data[name]
                for name in DESCRIPTIVE_FIELDS
                if name in data and name not in services.EDITABLE_RELATIONS
            }
            created = services.commitment_create(
                user=request.user,
                partner_countries=data.get("partner_countries") or (),
                responsible_users=data.get("responsible_users") or (),
                note=data.get("status_note", ""),
                status=data["status"],
                **fields,
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        # The form has already copied its values onto `obj`; the services start from the record.
        current = Commitment.objects.get(pk=obj.pk)
        changed = [name for name in DESCRIPTIVE_FIELDS if name in form.changed_data]
        expected = data.get("expected_version")
        if changed:
            current = services.commitment_update(
                commitment=current,
                user=request.user,
                data={name: data[name] for name in changed},
                expected_version=expected,
            )
            expected = None if expected is None else expected + 1
        if data.get("new_status"):
            services.commitment_change_status(
                commitment=current,
                new_status=data["new_status"],
                user=request.user,
                note=data["status_note"],
                expected_version=expected,
            )
        obj.refresh_from_db()  # also drops the partners prefetched before the update

    def save_related(self, request, form, formsets, change):
        # Partners and responsible users were set by the service; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evidence:
            formset.save()
            return
        added = []
        for evidence_form in formset.extra_forms:
            if not evidence_form.has_changed() or formset._should_delete_form(evidence_form):
                continue
            cleaned = evidence_form.cleaned_data
            added.append(
                services.evidence_add(
                    commitment=form.instance,
                    user=request.user,
                    source=cleaned.get("source"),
                    quote=cleaned.get("quote", ""),
                    url=cleaned.get("url", ""),
                    note=cleaned.get("note", ""),
                    observed_on=cleaned.get("observed_on"),
                )
            )
        # What formset.save() would have recorded, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []

    def delete_model(self, request, obj):
        services.commitment_delete(commitment=obj, user=request.user)
