"""API tokens in admin: staff issue and revoke their own; superusers see and revoke everyone's.

The key is shown once, on the page that answers the issuing form, and never stored (the row keeps
its digest and first characters): it is not put in a message either, which would keep it in the
session or a cookie until the next page. `manage.py issue_token` does the same from a shell.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import clock
from ..admin_kit import PlainTextForms
from ..models import ApiToken

MAX_TOKEN_DAYS = 3650


class IssueTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=settings.API_TOKEN_TTL_DAYS,
        help_text=_("The key stops working after this many days; revoke it sooner if needed."),
    )

    class Meta:
        model = ApiToken
        fields = ("name",)


@admin.register(ApiToken)
class ApiTokenAdmin(PlainTextForms, admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "state")
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    fields = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def _staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def _own(self, request, obj) -> bool:
        return self._staff(request) and (
            request.user.is_superuser or obj is None or obj.user_id == request.user.pk
        )

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        return self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        # Nothing of a token is edited; "change" is what the revoke action asks for.
        return self._own(request, obj)

    def has_add_permission(self, request):
        return self._staff(request)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens are kept as a record of who had access until when

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = IssueTokenForm
            kwargs["fields"] = ("name",)
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("name", "days") if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = ApiToken.objects.issue(
            request.user, form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        obj.pk, obj.user, obj.prefix = token.pk, token.user, token.prefix
        obj.created_at, obj.expires_at = token.created_at, token.expires_at
        request._issued_key = key

    def response_add(self, request, obj, post_url_continue=None):
        """The one page that shows the key."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "key": request._issued_key,
            "title": _("Copy the key now"),
        }
        response = TemplateResponse(request, "admin/commitments/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.display(description=_("state"))
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return _("revoked")
        if token.expires_at <= clock.now():
            return _("expired")
        return _("active")

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.revoke()
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", count)
            % {"count": count},
            messages.SUCCESS,
        )
