"""The commitment and the rows that evidence it: quotes from sources and measured figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import clock, messages, rules
from ..progress import Progress
from ..rules import Status, validate_record_date
from .builders import (
    RecordedActorMixin,
    SourceLanguageColumns,
    _source_column,
    _strip_translations,
    actor_user_field,
    commitment_field,
    http_url_validator,
    one_actor_at_most,
    optional_source_field,
    public_uid_field,
    system_actor_field,
)
from .reference import Category, Country, InstrumentType, Meeting


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def slipped(self) -> CommitmentQuerySet:
        """Commitments whose target date was moved later at least once."""
        return self.filter(postponements__gt=0)

    def stale(self, now: datetime | None = None) -> CommitmentQuerySet:
        return self.filter(rules.stale_condition(now or clock.now()))

    def not_stale(self, now: datetime | None = None) -> CommitmentQuerySet:
        return self.exclude(rules.stale_condition(now or clock.now()))

    def with_is_stale(self, now: datetime | None = None) -> CommitmentQuerySet:
        """Annotate `stale` (a boolean) computed in the database by the one staleness rule."""
        condition = rules.stale_condition(now or clock.now())
        return self.annotate(
            stale=Case(
                When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )

    def open(self) -> CommitmentQuerySet:
        return self.filter(status__in=rules.OPEN_STATUSES)

    def involving(self, country_codes) -> CommitmentQuerySet:
        """Commitments owned by, or partnered with, any of the countries."""
        codes = list(country_codes)
        partnered = Commitment.partner_countries.through.objects.filter(
            country_id__in=codes
        ).values("commitment_id")
        return self.filter(Q(owner_country_id__in=codes) | Q(pk__in=partnered))


class Commitment(SourceLanguageColumns, models.Model):
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, help_text=_("Stable identifier used in URLs.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_country = models.ForeignKey(
        Country,
        verbose_name=_("owner country"),
        on_delete=models.PROTECT,
        related_name="owned_commitments",
    )
    partner_countries = models.ManyToManyField(
        Country,
        verbose_name=_("partner countries"),
        blank=True,
        related_name="partnered_commitments",
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ANNOUNCED
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, validators=[validate_record_date]
    )
    target_amount = models.DecimalField(
        _("target amount"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Quantitative target, e.g. 2000000000 with unit USD."),
    )
    target_unit = models.CharField(_("target unit"), max_length=20, blank=True)
    original_target_date = models.DateField(
        _("original target date"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first target date recorded; kept when the target date moves."),
    )
    postponements = models.PositiveSmallIntegerField(
        _("postponements"),
        default=0,
        editable=False,
        help_text=_("How many times the target date was moved later."),
    )
    progress = models.CharField(
        _("progress"),
        max_length=20,
        choices=Progress.choices,
        default=Progress.NOT_ENOUGH_DATA,
        editable=False,
        help_text=_("Of the quantitative target, from the observations (least favourable party)."),
    )
    positions_diverge = models.BooleanField(
        _("parties' positions diverge"),
        default=False,
        editable=False,
        help_text=_("The party countries report different statuses."),
    )
    instrument_type = models.CharField(
        _("instrument type"),
        max_length=20,
        choices=InstrumentType.choices,
        blank=True,
        help_text=_("For a legal instrument: agreement, treaty, protocol or memorandum."),
    )
    announced_on = models.DateField(
        _("announced on"), null=True, blank=True, validators=[validate_record_date]
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Reviewer notes, e.g. where sources disagree.")
    )
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible users"),
        blank=True,
        related_name="responsible_for",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed at"), default=timezone.now)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Bumped on every change; the API's ETag."),
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "last_reviewed_at"], name="commitment_status_review"),
            # The API's list filters by owner and/or status and pages by (-updated_at, -id): these
            # serve a page with an index range scan that stops after 51 rows, at any table size.
            models.Index(
                fields=["owner_country", "status", "-updated_at", "-id"],
                name="commitment_owner_status_upd",
            ),
            models.Index(fields=["status", "-updated_at", "-id"], name="commitment_status_updated"),
            models.Index(fields=["category", "status"], name="commitment_category_status"),
            models.Index(fields=["-updated_at", "-id"], name="commitment_updated_id"),
            models.Index(fields=["target_date"], name="commitment_target_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="commitment_title_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="commitment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="commitment_category_valid"
            ),
            models.CheckConstraint(
                condition=(Q(target_amount__isnull=True) & Q(target_unit=""))
                | (Q(target_amount__isnull=False) & ~Q(target_unit="")),
                name="commitment_target_amount_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(target_amount__isnull=True) | Q(target_amount__gte=0),
                name="commitment_target_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(progress__in=Progress.values), name="commitment_progress_valid"
            ),
            models.CheckConstraint(
                condition=Q(instrument_type="") | Q(instrument_type__in=InstrumentType.values),
                name="commitment_instrument_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:commitment_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # Each language's column, never `self.title`: that reads and writes the active language,
        # and would copy the English fallback into a language that has no text yet.
        _strip_translations(self, "title")
        _strip_translations(self, "description")
        errors = {}
        if not getattr(self, _source_column("title")):
            errors["title"] = messages.TITLE_REQUIRED
        if self.target_amount is not None and not self.target_unit:
            errors["target_unit"] = messages.TARGET_UNIT_REQUIRED
        if self.target_unit and self.target_amount is None:
            errors["target_amount"] = messages.TARGET_AMOUNT_REQUIRED
        too_early = rules.target_before_announcement(self.target_date, self.announced_on)
        if too_early:
            errors["target_date"] = too_early
        if errors:
            raise ValidationError(errors)

    def is_stale(self, now: datetime | None = None) -> bool:
        return rules.is_stale(self.status, self.last_reviewed_at, now or clock.now())

    @property
    def is_final(self) -> bool:
        return rules.is_final(self.status)

    @property
    def allowed_next_statuses(self) -> tuple[str, ...]:
        return rules.allowed_transitions(self.status)


EVIDENCE_LABEL_CHARS = 60


class Evidence(RecordedActorMixin, models.Model):
    """What supports a commitment's status: a verbatim quote from a source and/or a URL."""

    actor_field = "added_by"

    uid = public_uid_field()
    commitment = commitment_field(related_name="evidence")
    source = optional_source_field(related_name="evidence")
    quote = models.TextField(
        _("quote"), blank=True, help_text=_("Copied verbatim from the source's text.")
    )
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[http_url_validator])
    note = models.TextField(_("note"), blank=True)
    observed_on = models.DateField(
        _("observed on"), default=timezone.localdate, validators=[validate_record_date]
    )
    added_by = actor_user_field(_("added by"))
    added_by_system = system_actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["observed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source__isnull=False) & ~Q(quote="")) | ~Q(url=""),
                name="evidence_has_quote_or_url",
            ),
            models.CheckConstraint(
                condition=Q(quote="") | Q(source__isnull=False), name="evidence_quote_has_source"
            ),
            one_actor_at_most("added_by", "evidence_one_actor"),
        ]

    def __str__(self) -> str:
        """What staff recognise it by: "Kazinform: “the quote's start…”", or its URL."""
        if self.source_id is None:
            return Truncator(self.url).chars(EVIDENCE_LABEL_CHARS) or str(
                _("Evidence #%(id)s") % {"id": self.pk}
            )
        source = self.source.publisher or Truncator(self.source.title).chars(40)
        if not self.quote:
            return source
        return f"{source}: “{Truncator(self.quote).chars(EVIDENCE_LABEL_CHARS)}”"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.quote and self.source_id is None:
            errors["source"] = messages.QUOTE_NEEDS_SOURCE
        elif self.source_id is not None and not self.quote:
            errors["quote"] = messages.SOURCE_NEEDS_QUOTE
        elif self.source_id is not None:
            found = self.source.find_quote(self.quote)
            if found is None:
                errors["quote"] = rules.quote_not_in_source(self.quote, self.source.text)
            else:
                self.quote = found  # stored as the source has it
        if not self.url and self.source_id is None and not errors:
            errors["url"] = messages.EVIDENCE_NEEDS_QUOTE_OR_URL
        if errors:
            raise ValidationError(errors)


class ProgressObservation(models.Model):
    """A measured value toward a commitment's quantitative target, for a stated period.

    Two sources may report different values for the same period: both rows are kept.
    """

    uid = public_uid_field()
    commitment = commitment_field(related_name="observations")
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="observations"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    period_start = models.DateField(_("period start"), validators=[validate_record_date])
    period_end = models.DateField(_("period end"), validators=[validate_record_date])
    period_label = models.CharField(_("period label"), max_length=100, blank=True)
    reported_by = models.ForeignKey(
        Country,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The party country whose figure this is, when the source says so."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress observation")
        verbose_name_plural = _("progress observations")
        ordering = ["period_end", "period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="observation_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(unit=""), name="observation_unit_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.unit} ({self.period_label or self.period_end})"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        if (
            self.evidence_id
            and self.commitment_id
            and self.evidence.commitment_id != self.commitment_id
        ):
            raise ValidationError({"evidence": _("Choose evidence of this same commitment.")})
