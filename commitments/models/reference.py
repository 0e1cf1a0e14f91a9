"""Reference data: countries, meetings, sources and the choices commitments are filed under."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import clock, messages, rules
from ..formatting import country_name, short_date
from ..rules import validate_record_date
from .builders import (
    SourceLanguageColumns,
    _source_column,
    _strip_translations,
    http_url_validator,
    iso_alpha2_validator,
    public_uid_field,
)


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
        return f"{self.local_name} ({self.code})"

    @property
    def local_name(self) -> str:
        """The name in the active language (COUNTRY_NAMES), else the stored one."""
        return country_name(self.code, self.name)


class Meeting(SourceLanguageColumns, models.Model):
    """A council session, forum or visit where commitments were announced."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    held_on = models.DateField(_("held on"), validators=[validate_record_date])
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

    uid = public_uid_field()
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), validators=[validate_record_date])
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

    def clean(self) -> None:
        in_future = rules.published_in_future(self.published_on, clock.now())
        if in_future:
            raise ValidationError({"published_on": in_future})

    def contains_quote(self, quote: str) -> bool:
        """Whether `quote` occurs verbatim in the text, in any script (`rules.find_quote`:
        letters, digits, punctuation and case exactly; white space of any kind as one)."""
        return self.find_quote(quote) is not None

    def find_quote(self, quote: str) -> str | None:
        """The passage of the text that `quote` reproduces, as the text has it (its no-break
        spaces, its line ends); None when the text has none."""
        return rules.find_quote(quote, self.text)
