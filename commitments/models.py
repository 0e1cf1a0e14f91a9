from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import clock, messages, rules
from .actors import SYSTEM_ACTOR_MAX_LENGTH, SystemActor
from .formatting import short_date
from .progress import Progress
from .rules import Status

http_url_validator = URLValidator(schemes=["http", "https"])
iso_alpha2_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 code such as KZ.")
)


def system_actor_field() -> models.CharField:
    """The "who" of a history row written by a named system actor instead of a user."""
    return models.CharField(
        _("system actor"),
        max_length=SYSTEM_ACTOR_MAX_LENGTH,
        choices=SystemActor.choices,
        blank=True,
        default="",
        help_text=_("The system actor that wrote this row, when no user did."),
    )


def actor_user_field(verbose_name: str) -> models.ForeignKey:
    """The user who wrote a history row; kept (as NULL) when that user is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


def commitment_field(related_name: str, **options) -> models.ForeignKey:
    """The commitment a dependent row belongs to; deleted with it."""
    return models.ForeignKey(
        "Commitment",
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name=related_name,
        **options,
    )


def optional_source_field(related_name: str = "+") -> models.ForeignKey:
    """The source a row cites, if any; a cited source cannot be deleted."""
    return models.ForeignKey(
        "Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


def party_country_field() -> models.ForeignKey:
    """The party country a per-country row speaks for."""
    return models.ForeignKey(
        "Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )


def one_actor_at_most(user_field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{user_field}__isnull": True}) | Q(**{f"{user_field}_system": ""}),
        name=name,
    )


class RecordedActorMixin:
    """Who wrote a history row: the user's name, the system actor's, or "" (a deleted user)."""

    actor_field: str

    def actor_name(self) -> str:
        user = getattr(self, self.actor_field)
        if user is not None:
            return user.get_username()
        system = getattr(self, f"{self.actor_field}_system")
        return str(SystemActor(system).label) if system else ""

    actor_name.short_description = _("by")  # type: ignore[attr-defined]


class SourceLanguageColumns:
    """A model mixin for models with translated fields (commitments.translation): the untranslated
    column (`title`) always holds the English text, whatever language is active when saving.

    django-modeltranslation fills that column from the active language; pinning it to the source
    language keeps its check constraints and anything reading it in SQL on the record's own text.
    """

    def save(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


def _source_column(name: str) -> str:
    return f"{name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"


def _strip_translations(instance, name: str) -> None:
    """Strip every language's text of a translated field, leaving empty ones empty."""
    for code in settings.MODELTRANSLATION_LANGUAGES:
        column = f"{name}_{code}"
        value = getattr(instance, column, None)
        if isinstance(value, str):
            setattr(instance, column, value.strip())


def normalized_text(text: str) -> str:
    """Text in Unicode's composed form (NFC): "й" typed as one code point or as "и" + breve
    compare equal. Nothing else changes: whitespace, letter case and punctuation stay as given."""
    return unicodedata.normalize("NFC", text)


def _one_line_end(text: str) -> str:
    return normalized_text(text).replace("\r\n", "\n").replace("\r", "\n")


def source_content_hash(text: str) -> str:
    """What makes two sources the same: their normalised text (NFC, outer whitespace trimmed)."""
    return hashlib.sha256(normalized_text(text).strip().encode("utf-8")).hexdigest()


class InstrumentType(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    TREATY = "treaty", _("Treaty")
    PROTOCOL = "protocol", _("Protocol")
    MEMORANDUM = "memorandum", _("Memorandum")


class Category(models.TextChoices):
    TRADE = "trade", _("Trade")
    INVESTMENT = "investment", _("Investment")
    INDUSTRY = "industry", _("Industry")
    ENERGY = "energy", _("Energy")
    WATER = "water", _("Water")
    AGRICULTURE = "agriculture", _("Agriculture")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    BORDER_TRANSPORT = "border_transport", _("Border and transport")
    TOURISM = "tourism", _("Tourism")
    HUMANITARIAN = "humanitarian", _("Culture, education and humanitarian")
    POLITICAL = "political", _("Political and legal")
    OTHER = "other", _("Other")


class Country(models.Model):
    code = models.CharField(
        _("ISO code"), max_length=2, primary_key=True, validators=[iso_alpha2_validator]
    )
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z]$"), name="country_code_is_iso_alpha2"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="country_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Meeting(SourceLanguageColumns, models.Model):
    """A council session, forum or visit where commitments were announced."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="meeting_name_not_empty")]

    def __str__(self) -> str:
        return f"{self.name} ({short_date(self.held_on)})"

    def clean(self) -> None:
        _strip_translations(self, "name")
        if not getattr(self, _source_column("name")):
            raise ValidationError({_source_column("name"): messages.MEETING_NAME_REQUIRED})


class Source(models.Model):
    """One published article; evidence quotes must occur verbatim in its text."""

    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"))
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[http_url_validator])
    text = models.TextField(_("text"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.CONTENT_LANGUAGES,
        default=settings.MODELTRANSLATION_DEFAULT_LANGUAGE,
        help_text=_("The language the article is written in; its quotes stay in it."),
    )
    content_hash = models.CharField(
        _("content hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("SHA-256 of the text: the same text added twice is the same source."),
    )
    seed_file = models.CharField(
        _("seed file"),
        max_length=200,
        blank=True,
        help_text=_("The file in seeds/ this source was loaded from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_empty"),
            models.CheckConstraint(condition=~Q(text=""), name="source_text_not_empty"),
            models.UniqueConstraint(
                fields=["seed_file"], condition=~Q(seed_file=""), name="source_seed_file_unique"
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(content_hash=""),
                name="source_content_hash_unique",
            ),
        ]

    def __str__(self) -> str:
        publisher = f"{self.publisher}, " if self.publisher else ""
        return f"{self.title} ({publisher}{short_date(self.published_on)})"

    def contains_quote(self, quote: str) -> bool:
        """Whether `quote` occurs verbatim in the text, in any script. Both are compared in
        Unicode's composed form, so a letter typed as base + combining mark (й, ё, ә) matches
        its one-code-point form, and with one kind of line end: a browser sends a text area's
        line breaks as CR LF, whatever the source's text uses. Otherwise whitespace, case and
        punctuation must match exactly."""
        return bool(quote) and _one_line_end(quote) in _one_line_end(self.text)


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
    target_date = models.DateField(_("target date"), null=True, blank=True)
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
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
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

    commitment = commitment_field(related_name="evidence")
    source = optional_source_field(related_name="evidence")
    quote = models.TextField(
        _("quote"), blank=True, help_text=_("Copied verbatim from the source's text.")
    )
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[http_url_validator])
    note = models.TextField(_("note"), blank=True)
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)
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
        elif self.source_id is not None and not self.source.contains_quote(self.quote):
            errors["quote"] = messages.QUOTE_NOT_IN_SOURCE
        if not self.url and self.source_id is None and not errors:
            errors["url"] = messages.EVIDENCE_NEEDS_QUOTE_OR_URL
        if errors:
            raise ValidationError(errors)


class StatusChange(RecordedActorMixin, models.Model):
    """One status move, written only by the domain services and never edited through a UI."""

    actor_field = "changed_by"

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


class ProgressObservation(models.Model):
    """A measured value toward a commitment's quantitative target, for a stated period.

    Two sources may report different values for the same period: both rows are kept.
    """

    commitment = commitment_field(related_name="observations")
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="observations"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
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


class TargetDateChange(RecordedActorMixin, models.Model):
    """One move of a commitment's target date: from what, to what, who, when, why, on what source.

    Written only by the services (commitment_update); never edited through a UI.
    """

    actor_field = "changed_by"

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


class PartyPosition(RecordedActorMixin, models.Model):
    """A party country's own account of a commitment's status, as its government reports it."""

    actor_field = "recorded_by"

    commitment = commitment_field(related_name="party_positions")
    country = party_country_field()
    status = models.CharField(_("status as reported"), max_length=20, choices=Status.choices)
    source = optional_source_field(related_name="+")
    reported_on = models.DateField(_("reported on"))
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
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ratified_on = models.DateField(_("ratified or approved on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
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


class CountryMembership(models.Model):
    """A staff member's country: whose commitments they may change and whose reminders they get."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="country_memberships",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="memberships"
    )
    is_coordinator = models.BooleanField(
        _("is coordinator"),
        default=False,
        help_text=_(
            "Coordinators receive reminders for commitments that have no responsible user."
        ),
    )

    class Meta:
        verbose_name = _("country membership")
        verbose_name_plural = _("country memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "country"], name="membership_user_country_unique"
            )
        ]

    def __str__(self) -> str:
        role = f" ({_('coordinator')})" if self.is_coordinator else ""
        return f"{self.user} – {self.country_id}{role}"


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
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"Reminder preference of {self.user}"


class StaffProfile(models.Model):
    """A staff member's own settings: the language of their admin and of their reminder emails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the admin and of your reminder emails. Empty: the admin follows "
            "your browser's language, emails are in English."
        ),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(_("Profile of %(user)s") % {"user": self.user})


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
    catch_ups = models.PositiveSmallIntegerField(
        _("catch ups"),
        default=0,
        help_text=_("Later runs of the period that retried this digest after a failure."),
    )

    class Meta:
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


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, now: datetime | None = None) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or clock.now())

    def revoke(self, now: datetime | None = None) -> int:
        """Revoke the active tokens among these; returns how many. Revoked rows are kept as a
        record of which systems had access until when."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=now or clock.now())


class ApiTokenManager(models.Manager.from_queryset(ApiTokenQuerySet)):
    def issue(
        self, user, name: str, *, days: int | None = None, now: datetime | None = None
    ) -> tuple[ApiToken, str]:
        """A new token for `user`, used by the system `name`, and its key.

        The key is returned this once and never stored: the row keeps its SHA-256 digest (the
        key is 256 random bits, so a fast hash is enough) and its first characters, by which
        staff recognise it.
        """
        now = now or clock.now()
        days = settings.API_TOKEN_TTL_DAYS if days is None else days
        key = secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            name=name,
            prefix=key[: ApiToken.PREFIX_LENGTH],
            digest=ApiToken.digest_of(key),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        return token, key


class ApiToken(models.Model):
    """An API key of one user for one system (`Authorization: Token <key>`); stored hashed."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The system that uses this token.")
    )
    prefix = models.CharField(
        _("key starts with"), max_length=PREFIX_LENGTH, help_text=_("To recognise the key.")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


# The events' models live with their part of the product; importing them here registers them.
from .events.models import (  # noqa: E402, F401
    Event,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookRedelivery,
)
from .ingestion.models import MatchTerm, Suggestion  # noqa: E402, F401
