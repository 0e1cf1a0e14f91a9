"""The models' ground floor: field builders, mixins and text helpers every model module uses."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid

from django.conf import settings
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..actors import SYSTEM_ACTOR_MAX_LENGTH, SystemActor
from ..messages import system_note

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


def public_uid_field() -> models.UUIDField:
    """A row's identity outside this database (the open data's key): ids differ between
    databases, this travels with the row when it is exported and imported."""
    return models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)


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

    def note_text(self) -> str:
        """The note in the reader's language when the system wrote it (messages.system_note)."""
        return system_note(getattr(self, "note", ""))

    note_text.short_description = _("note")  # type: ignore[attr-defined]


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


def source_content_hash(text: str) -> str:
    """What makes two sources the same: their normalised text (NFC, outer whitespace trimmed)."""
    return hashlib.sha256(normalized_text(text).strip().encode("utf-8")).hexdigest()
