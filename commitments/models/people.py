"""Staff: which countries' commitments a user works on, and their own settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import Country


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
            "your browser's language, and emails are in the language you last used in the "
            "admin (before your first visit, your country's)."
        ),
    )
    admin_language = models.CharField(
        _("language last used in the admin"),
        max_length=10,
        blank=True,
        editable=False,
        help_text=_("Kept on each visit; reminder emails use it when no language is chosen."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(_("Profile of %(user)s") % {"user": self.user})
