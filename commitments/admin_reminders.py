"""Admin for reminders: every digest's record (read-only) and each user's reminder preference."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from .models import Reminder, ReminderPreference


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "recipient",
        "period",
        "delivery_status",
        "in_doubt",
        "attempts",
        "claimed_at",
        "sent_at",
    )
    list_filter = ("delivery_status", "period")
    search_fields = ("recipient__username", "recipient__email", "period")
    list_select_related = ("recipient",)
    readonly_fields = (
        "recipient",
        "period",
        "delivery_status",
        "attempts",
        "last_error",
        "claimed_at",
        "sent_at",
        "commitments",
    )
    date_hierarchy = "claimed_at"

    @admin.display(boolean=True, description="in doubt")
    def in_doubt(self, obj: Reminder) -> bool:
        """Handed to the mail server, never confirmed, and its worker is gone: see reminders.py."""
        lease = timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
        return (
            obj.delivery_status == Reminder.DeliveryStatus.PENDING
            and obj.sent_at is not None
            and obj.claimed_at < timezone.now() - lease
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "opted_out", "snoozed_until", "updated_at")
    list_filter = ("opted_out",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
