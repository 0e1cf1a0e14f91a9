"""The commitment's history: status changes, reviews and target-date changes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import Status
from .builders import (
    RecordedActorMixin,
    actor_user_field,
    commitment_field,
    one_actor_at_most,
    optional_source_field,
    public_uid_field,
    system_actor_field,
)


class StatusChange(RecordedActorMixin, models.Model):
    """One status move, written only by the domain services and never edited through a UI."""

    actor_field = "changed_by"

    uid = public_uid_field()
    commitment = commitment_field(related_name="status_changes")
    old_status = models.CharField(
        _("old status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Empty when the record began."),
    )
    new_status = models.CharField(_("new status"), max_length=20, choices=Status.choices)
    changed_by = actor_user_field(_("changed by"))
    changed_by_system = system_actor_field()
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]
        get_latest_by = "changed_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(old_status="") | Q(old_status__in=Status.values),
                name="status_change_old_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(new_status__in=Status.values), name="status_change_new_status_valid"
            ),
            one_actor_at_most("changed_by", "status_change_one_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.old_status or '∅'} → {self.new_status}"


class Review(RecordedActorMixin, models.Model):
    """A staff member confirming a commitment is current without changing it; resets staleness."""

    actor_field = "reviewed_by"

    commitment = commitment_field(related_name="reviews")
    reviewed_by = actor_user_field(_("reviewed by"))
    reviewed_by_system = system_actor_field()
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["reviewed_at", "id"]
        constraints = [one_actor_at_most("reviewed_by", "review_one_actor")]

    def __str__(self) -> str:
        return f"Review of {self.commitment_id} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class TargetDateChange(RecordedActorMixin, models.Model):
    """One move of a commitment's target date: from what, to what, who, when, why, on what source.

    Written only by the services (commitment_update); never edited through a UI.
    """

    actor_field = "changed_by"

    uid = public_uid_field()
    commitment = commitment_field(related_name="target_date_changes")
    old_date = models.DateField(_("old target date"), null=True, blank=True)
    new_date = models.DateField(_("new target date"), null=True, blank=True)
    is_postponement = models.BooleanField(_("postponement"), default=False)
    reason = models.TextField(_("reason"))
    source = optional_source_field(related_name="+")
    changed_by = actor_user_field(_("changed by"))
    changed_by_system = system_actor_field()
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("target date change")
        verbose_name_plural = _("target date changes")
        ordering = ["changed_at", "id"]
        constraints = [one_actor_at_most("changed_by", "target_date_change_one_actor")]

    def __str__(self) -> str:
        return f"{self.old_date or '∅'} → {self.new_date or '∅'}"
