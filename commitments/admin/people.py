"""People in admin: staff users with their countries, reminder preferences and sent reminders."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import clock
from ..admin_kit import AgreeingMessages, PlainTextForms, ReadOnlyMixin
from ..models import CountryMembership, StaffProfile
from ..reminders.delivery import is_in_doubt
from ..reminders.models import Reminder, ReminderPreference

User = get_user_model()


class CountryMembershipInline(admin.TabularInline):
    model = CountryMembership
    extra = 0
    fields = ("country", "is_coordinator")
    verbose_name = _("country")
    verbose_name_plural = _("countries (whose commitments this user may change)")


class ReminderPreferenceInline(admin.StackedInline):
    model = ReminderPreference
    max_num = 1
    can_delete = False
    fields = ("opted_out", "snoozed_until")


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(PlainTextForms, DjangoUserAdmin):
    inlines = [CountryMembershipInline, ReminderPreferenceInline]
    list_display = (*DjangoUserAdmin.list_display, "countries")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("country_memberships")

    @admin.display(description=_("Countries"))
    def countries(self, obj):
        return ", ".join(
            f"{m.country_id}{'*' if m.is_coordinator else ''}"
            for m in sorted(obj.country_memberships.all(), key=lambda m: m.country_id)
        )


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(PlainTextForms, AgreeingMessages, admin.ModelAdmin):
    list_display = ("user", "opted_out", "snoozed_until", "updated_at")
    list_filter = ("opted_out",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A log written by the reminder job; nobody adds, edits or deletes reminders by hand."""

    list_display = (
        "recipient",
        "period",
        "delivery_status",
        "phase",
        "in_doubt",
        "attempts",
        "short_error",
        "sent_at",
        "commitment_count",
    )
    list_filter = ("delivery_status", "period")
    search_fields = ("recipient__username", "recipient__email", "period")
    list_select_related = ("recipient",)
    fields = (
        "recipient",
        "period",
        "delivery_status",
        "phase",
        "attempts",
        "catch_ups",
        "refused_email",
        "last_error",
        "claimed_at",
        "sent_at",
        "commitments",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commitment_total=Count("commitments"))

    @admin.display(description=_("Commitments"), ordering="commitment_total")
    def commitment_count(self, obj):
        return obj.commitment_total

    @admin.display(boolean=True, description=_("In doubt"))
    def in_doubt(self, obj):
        return is_in_doubt(obj, clock.now())

    @admin.display(description=_("Last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)


@admin.register(StaffProfile)
class StaffProfileAdmin(PlainTextForms, admin.ModelAdmin):
    """Each staff member's own profile (their language), reached from "Language" in the header.

    Any active staff member may view and change their own profile, without a model permission;
    superusers see everyone's.
    """

    fields = ("language",)
    list_display = ("user", "language")
    list_select_related = ("user",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def _own(self, request, obj) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or obj is None or obj.user_id == user.pk

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._own(request, obj)

    def has_add_permission(self, request):
        return False  # created on first visit, one per user

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if request.user.is_superuser and "all" in request.GET:
            return super().changelist_view(request, extra_context)
        profile, _created = StaffProfile.objects.get_or_create(user=request.user)
        return redirect("admin:commitments_staffprofile_change", profile.pk)
