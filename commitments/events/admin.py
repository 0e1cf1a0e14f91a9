"""Admin for webhooks: register endpoints, read the delivery log, re-enable and redeliver.

Staff with the model permissions register endpoints here (they become the owner, who is emailed
if the endpoint is disabled). As in the API, staff see, change, redeliver and delete only their
own endpoints and their delivery log; superusers, all. A secret is never shown again: it is
generated (or typed) when the endpoint is registered or replaced and shown once, in the answer to
that save. Redelivering one event: select its attempts in the delivery log; a time range: fill in
"redeliver from/to" on the endpoint's page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commitments.admin_kit import AgreeingMessages, ReadOnlyMixin
from commitments.messages import RANGE_BOTH, RANGE_ORDER
from commitments.models import Country

from . import delivery, outbox, safety
from .models import (
    Event,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookRedelivery,
    new_secret,
)
from .selectors import filtered, owned


def _report_redelivery(model_admin: admin.ModelAdmin, request, count: int) -> None:
    """Wake the dispatcher for the queued attempts and tell staff how many there are."""
    outbox.kick_dispatch()
    model_admin.message_user(
        request,
        ngettext(
            "%(count)d event queued for redelivery.",
            "%(count)d events queued for redelivery.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )
    countries = forms.MultipleChoiceField(
        label=_("countries"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every country."),
    )
    secret = forms.CharField(
        label=_("new secret"),
        required=False,
        min_length=16,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    redeliver_from = forms.DateTimeField(label=_("redeliver events from"), required=False)
    redeliver_to = forms.DateTimeField(label=_("redeliver events up to"), required=False)

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "secret", "event_types", "countries"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = [
            (c.code, str(c)) for c in Country.objects.order_by("code")
        ]
        self.fields["secret"].help_text = (
            _("Left empty: the secret is kept. A new one is shown once, after saving.")
            if self.instance.pk
            else _("Left empty: one is generated. It is shown once, after saving.")
        )
        self.new_secret = ""

    def clean_secret(self) -> str:
        typed = self.cleaned_data.get("secret", "")
        if typed or not self.instance.pk:
            self.new_secret = typed or new_secret()
            return self.new_secret
        return self.instance.secret

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            safety.resolve(url)
        except safety.UnsafeTarget as exc:
            raise forms.ValidationError(str(exc)) from None
        return url

    def clean(self):
        data = super().clean()
        start, end = data.get("redeliver_from"), data.get("redeliver_to")
        if (start is None) != (end is None):
            self.add_error("redeliver_to", RANGE_BOTH)
        elif start is not None and end < start:
            self.add_error("redeliver_to", RANGE_ORDER)
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AgreeingMessages, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = (
        "url",
        "owner",
        "is_active",
        "consecutive_failures",
        "next_attempt_at",
        "disabled_reason",
    )
    list_filter = ("is_active",)
    search_fields = ("url", "description", "owner__username")
    list_select_related = ("owner",)
    readonly_fields = (
        "owner",
        "is_active",
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "next_attempt_at",
        "created_at",
    )
    actions = ["enable", "disable"]

    # As the API: staff own what they registered; only superusers see and act on every endpoint.
    def get_queryset(self, request):
        return owned(super().get_queryset(request), request.user)

    def _owns(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.owner_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def get_deleted_objects(self, objs, request):
        # The delivery log and queued redeliveries are the endpoint's own: they go with it, as in
        # the API, though nobody may delete a log row by itself.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        log = {str(m._meta.verbose_name) for m in (WebhookDelivery, WebhookRedelivery)}
        return deleted, counts, perms_needed - log, protected

    def get_fieldsets(self, request, obj=None):
        main = ["url", "description", "secret", "event_types", "countries"]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            (None, {"fields": main}),
            (_("State"), {"fields": list(self.readonly_fields)}),
            (_("Redeliver a time range"), {"fields": ["redeliver_from", "redeliver_to"]}),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
        if form.new_secret:
            self.message_user(
                request,
                _("The endpoint's secret, shown this once (the receiver keeps a copy): %(secret)s")
                % {"secret": form.new_secret},
                messages.WARNING,
            )
        start, end = form.cleaned_data.get("redeliver_from"), form.cleaned_data.get("redeliver_to")
        if start is not None and end is not None:
            events = filtered(
                Event.objects.filter(occurred_at__gte=start, occurred_at__lte=end),
                types=obj.event_types,
                countries=obj.countries,
            )
            count = delivery.redeliver(obj, events)
            _report_redelivery(self, request, count)

    @admin.action(description=_("Re-enable selected endpoints"), permissions=["change"])
    def enable(self, request, queryset):
        count = delivery.enable(queryset)
        outbox.kick_dispatch()
        self.message_user(
            request,
            ngettext(
                "Re-enabled %(count)d endpoint; it resumes where it stopped.",
                "Re-enabled %(count)d endpoints; they resume where they stopped.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Disable selected endpoints"), permissions=["change"])
    def disable(self, request, queryset):
        count = queryset.update(is_active=False, disabled_reason=str(_("Disabled by staff.")))
        self.message_user(
            request,
            ngettext("Disabled %(count)d endpoint.", "Disabled %(count)d endpoints.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "attempted_at",
        "endpoint",
        "event",
        "outcome",
        "response_status",
        "duration_ms",
        "is_redelivery",
        "error",
    )
    list_filter = ("outcome", "is_redelivery", ("endpoint", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("endpoint", "event")
    search_fields = ("event__uuid", "event__commitment_slug")
    date_hierarchy = "attempted_at"
    actions = ["redeliver"]

    def get_queryset(self, request):
        return owned(super().get_queryset(request), request.user, through="endpoint__owner")

    def has_redeliver_permission(self, request) -> bool:
        return request.user.has_perm("commitments.change_webhookendpoint")

    @admin.action(description=_("Redeliver these events"), permissions=["redeliver"])
    def redeliver(self, request, queryset):
        count = 0
        pairs = set(queryset.values_list("endpoint_id", "event_id"))
        for endpoint in WebhookEndpoint.objects.filter(pk__in={pair[0] for pair in pairs}):
            event_ids = [event for e, event in pairs if e == endpoint.pk]
            count += delivery.redeliver(endpoint, Event.objects.filter(pk__in=event_ids))
        _report_redelivery(self, request, count)


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The outbox as written by the services: read only."""

    list_display = ("occurred_at", "type", "commitment_slug", "version", "actor_name", "uuid")
    list_filter = ("type", "owner_country")
    search_fields = ("uuid", "commitment_slug")
    date_hierarchy = "occurred_at"
