"""The outbox (Event), webhook endpoints, and the log of every delivery attempt.

Registered by the events app (`commitments.events`); they keep the app label `commitments`, and so
their tables, migrations, content types and permissions.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The kinds of change are the services' to announce; an event is of one of them.
from commitments.changes import EventType

from . import sealing


class Event(models.Model):
    """One committed change of a commitment, written in the change's own transaction.

    `xid` is the writing transaction's id on PostgreSQL (0 elsewhere): the feed orders by
    (xid, id) and serves only transactions older than every one still running, so an event can
    never appear behind a position a reader has already passed (see selectors.visible_events).
    No foreign key to the commitment: the event of a deletion outlives it.
    """

    uuid = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    xid = models.BigIntegerField(default=0, editable=False)
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    commitment_id = models.BigIntegerField(_("commitment id"))
    commitment_slug = models.CharField(_("commitment slug"), max_length=120)
    owner_country = models.CharField(_("owner country"), max_length=2)
    partner_countries = models.JSONField(_("partner countries"), default=list)
    # ",KG,KZ,": owner and partners, so "involving KZ" is one portable LIKE on every database.
    countries = models.CharField(max_length=200, editable=False)
    version = models.PositiveIntegerField(_("version"))
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    actor_is_system = models.BooleanField(default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        app_label = "commitments"
        ordering = ["xid", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["xid", "id"], name="event_feed_order"),
            models.Index(fields=["occurred_at"], name="event_occurred_at"),
            models.Index(fields=["commitment_id", "id"], name="event_commitment"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=EventType.values), name="event_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.type} of {self.commitment_slug} ({self.uuid})"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class SealedSecretField(models.TextField):
    """Plain in Python, sealed in the database (sealing.py): a dump holds no usable secret."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else sealing.unseal(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else sealing.seal(value)


class WebhookEndpoint(models.Model):
    """A URL that receives signed events, with its filters and its delivery position.

    (`cursor_xid`, `cursor_event_id`) is the last event delivered or given up on; the worker that
    holds the claim (`claim_token` until `claimed_until`) is the only one sending to this endpoint,
    which keeps its events in order. A claim left by a killed worker expires with its lease.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("owner"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = SealedSecretField(
        _("secret"),
        default=new_secret,
        help_text=_("Signs each delivery (HMAC-SHA256); the receiver keeps a copy."),
    )
    event_types = models.JSONField(
        _("event types"), default=list, blank=True, help_text=_("Empty: every type.")
    )
    countries = models.JSONField(
        _("countries"),
        default=list,
        blank=True,
        help_text=_("ISO codes; events of commitments involving any of them. Empty: all."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    cursor_xid = models.BigIntegerField(default=0, editable=False)
    cursor_event_id = models.BigIntegerField(default=0, editable=False)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        app_label = "commitments"
        ordering = ["id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, event: Event) -> bool:
        if self.event_types and event.type not in self.event_types:
            return False
        return not self.countries or any(f",{c}," in event.countries for c in self.countries)


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one endpoint: the delivery log."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed, will retry")
        REFUSED = "refused", _("refused by the receiver, not retried")
        BLOCKED = "blocked", _("blocked: unsafe address")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    is_redelivery = models.BooleanField(_("redelivery"), default=False)
    attempted_at = models.DateTimeField(_("attempted at"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True)
    response_excerpt = models.CharField(_("response excerpt"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        app_label = "commitments"
        ordering = ["-attempted_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["endpoint", "-attempted_at"], name="delivery_endpoint_time"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id}: {self.outcome}"


class WebhookRedelivery(models.Model):
    """An event staff asked to send again to an endpoint; sent before the endpoint's next events."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="redeliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "commitments"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="redelivery_once")
        ]

    def __str__(self) -> str:
        return f"redeliver {self.event_id} to {self.endpoint_id}"
