"""Each party's own account: its reported status, and its dates on a legal instrument."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import Status, validate_record_date
from .builders import (
    RecordedActorMixin,
    actor_user_field,
    commitment_field,
    one_actor_at_most,
    optional_source_field,
    party_country_field,
    system_actor_field,
)
from .commitment import Evidence


class PartyPosition(RecordedActorMixin, models.Model):
    """A party country's own account of a commitment's status, as its government reports it."""

    actor_field = "recorded_by"

    commitment = commitment_field(related_name="party_positions")
    country = party_country_field()
    status = models.CharField(_("status as reported"), max_length=20, choices=Status.choices)
    source = optional_source_field(related_name="+")
    reported_on = models.DateField(_("reported on"), validators=[validate_record_date])
    note = models.TextField(_("note"), blank=True)
    recorded_by = actor_user_field(_("recorded by"))
    recorded_by_system = system_actor_field()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("party position")
        verbose_name_plural = _("party positions")
        ordering = ["country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "country"], name="party_position_once_per_country"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="party_position_status_valid"
            ),
            one_actor_at_most("recorded_by", "party_position_one_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.get_status_display()}"


class InstrumentParty(RecordedActorMixin, models.Model):
    """A party's steps on a legal instrument: signature, ratification (or approval), entry into
    force, with the evidence that reports them."""

    actor_field = "recorded_by"

    commitment = commitment_field(related_name="instrument_parties")
    country = party_country_field()
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=[validate_record_date]
    )
    ratified_on = models.DateField(
        _("ratified or approved on"), null=True, blank=True, validators=[validate_record_date]
    )
    in_force_on = models.DateField(
        _("in force on"), null=True, blank=True, validators=[validate_record_date]
    )
    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = actor_user_field(_("recorded by"))
    recorded_by_system = system_actor_field()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("instrument dates of a party")
        verbose_name_plural = _("instrument dates per party")
        ordering = ["country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "country"], name="instrument_party_once_per_country"
            ),
            one_actor_at_most("recorded_by", "instrument_party_one_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.signed_on or '–'} / {self.ratified_on or '–'} / " + (
            f"{self.in_force_on or '–'}"
        )

    def clean(self) -> None:
        errors = {}
        if self.ratified_on and self.signed_on and self.ratified_on < self.signed_on:
            errors["ratified_on"] = _("Ratification cannot come before signature.")
        if self.in_force_on and self.signed_on and self.in_force_on < self.signed_on:
            errors["in_force_on"] = _("Entry into force cannot come before signature.")
        if (
            self.evidence_id
            and self.commitment_id
            and self.evidence.commitment_id != (self.commitment_id)
        ):
            errors["evidence"] = _("Choose evidence of this same commitment.")
        if errors:
            raise ValidationError(errors)
