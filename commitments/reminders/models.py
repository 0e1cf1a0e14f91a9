"""The reminders' own rows: one digest per recipient and period, and each recipient's choice.

They keep the app label `commitments` (and so their tables, migrations and permissions): the
reminders app registers them without the record's models importing this module.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment


class ReminderPreference(models.Model):
    """A recipient's choice about reminder digests; absent means 'send'."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    opted_out = models.BooleanField(_("opted out"), default=False)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "commitments"
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"Reminder preference of {self.user}"


class Reminder(models.Model):
    """One digest to one recipient for one period.

    The unique (recipient, period) row is claimed before sending, so however many workers or beat
    processes run the job, a recipient gets at most one digest per period.
    """

    class DeliveryStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        """How far the last attempt got in the SMTP conversation (see reminders.delivery).

        Only END_OF_DATA is written before it is reached: a digest whose final "." may have
        reached the server is never sent again. The others are recorded with the outcome.
        """

        CLAIMED = "claimed", _("Claimed, not yet sending")
        CONNECT = "connect", _("Connecting")
        GREETING = "greeting", _("Waiting for the server's greeting")
        MAIL = "mail", _("Envelope (MAIL FROM, RCPT TO)")
        DATA = "data", _("Sending the message (DATA)")
        END_OF_DATA = "end_of_data", _("Message ended, waiting for the server's answer")
        ANSWERED = "answered", _("Server answered the message")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    period = models.CharField(
        _("period"), max_length=32, help_text=_("The reminder period, e.g. 2026-11-22.")
    )
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("commitments"), related_name="reminders"
    )
    delivery_status = models.CharField(
        _("delivery status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    phase = models.CharField(
        _("SMTP phase reached"), max_length=16, choices=Phase.choices, default=Phase.CLAIMED
    )
    # The claiming attempt's ticket: later writes match on it, so a worker whose claim was taken
    # over cannot touch the new owner's row.
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True, default="")
    refused_email = models.EmailField(
        _("address refused for good"),
        blank=True,
        help_text=_(
            "The address the mail server refused with a permanent error (5xx); retried only a "
            "few times, and again once the recipient's address changes."
        ),
    )
    catch_ups = models.PositiveSmallIntegerField(
        _("catch ups"),
        default=0,
        help_text=_("Later runs of the period that retried this digest after a failure."),
    )

    class Meta:
        app_label = "commitments"
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period"], name="reminder_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(delivery_status__in=["pending", "sent", "failed"]),
                name="reminder_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.recipient} for {self.period} ({self.delivery_status})"
