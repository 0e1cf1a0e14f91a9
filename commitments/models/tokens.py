"""API tokens: one key per user and system, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import clock


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
