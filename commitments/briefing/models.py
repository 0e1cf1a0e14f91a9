"""A briefing asked for: built by a Celery task when large, its file kept for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BriefingRequest(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("briefing state", "Queued")
        RUNNING = "running", pgettext_lazy("briefing state", "Being built")
        DONE = "done", pgettext_lazy("briefing state", "Ready")
        FAILED = "failed", pgettext_lazy("briefing state", "Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Only the admin's requests are scoped to their author's countries; the API reads everything.
    scoped = models.BooleanField(_("scoped to the requester's countries"), default=False)
    meeting_key = models.CharField(_("meeting"), max_length=80, blank=True)
    country_code = models.CharField(_("country"), max_length=2, blank=True)
    commitment_ids = models.JSONField(_("commitments"), default=list, blank=True)
    since = models.DateField(_("changes since"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8)
    format = models.CharField(_("format"), max_length=8)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("commitments done"), default=0)
    total = models.PositiveIntegerField(_("commitments in all"), default=0)
    file = models.FileField(_("file"), upload_to="briefings/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        app_label = "commitments"
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        scope = self.meeting_key or self.country_code or ", ".join(map(str, self.commitment_ids))
        return f"{scope} ({self.language}, {self.format})"

    @property
    def has_file(self) -> bool:
        """Built, and its file kept for download."""
        return self.state == self.State.DONE and bool(self.file)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
