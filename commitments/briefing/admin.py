"""The briefing in admin: the actions the meeting and commitment lists offer (attached by
`commitments/admin/`), and the list of briefings asked for, with their progress and file.

Staff brief only on the commitments their countries may act on (`access`), as in every other
admin action; a superuser or the secretariat briefs on all.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import content, downloads, services
from .models import BriefingRequest

LANGUAGE_CHOICES = [
    ("ru", "Русский"),
    ("kk", "Қазақша"),
    ("ky", "Кыргызча"),
    ("en", "English"),
]
FORMAT_CHOICES = [("docx", "DOCX"), ("pdf", "PDF")]


class BriefingForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    since = forms.DateField(
        label=_("Changes since"),
        required=False,
        help_text=_(
            "Leave empty for the previous meeting's date, or 90 days before the record's last "
            "change."
        ),
    )


def _answer(modeladmin, request, scope: content.Scope, form: BriefingForm):
    data = form.cleaned_data
    try:
        outcome = services.request_briefing(
            scope,
            language=data["language"],
            fmt=data["format"],
            since=data["since"],
            user=request.user,
            scoped=True,
        )
    except ValidationError as exc:
        for message in exc.messages:
            modeladmin.message_user(request, message, messages.ERROR)
        return None
    if isinstance(outcome, services.Ready):
        return downloads.ready_response(outcome)
    modeladmin.message_user(
        request,
        gettext("The briefing is large: it is being built. Its progress and file are here."),
        messages.INFO,
    )
    return HttpResponseRedirect(
        reverse("admin:commitments_briefingrequest_change", args=[outcome.pk])
    )


def _form_page(modeladmin, request, form, *, action, selected, scope_line):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Prepare a briefing"),
        "opts": modeladmin.model._meta,
        "form": form,
        "selected": selected,
        "scope_line": scope_line,
        "action_name": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/briefing/form.html", context)


@admin.action(description=_("Prepare a briefing on this meeting"))
def brief_meeting(modeladmin, request, queryset):
    meetings = list(queryset[:2])
    if len(meetings) != 1:
        modeladmin.message_user(
            request, gettext("Choose one meeting for a briefing."), messages.WARNING
        )
        return None
    meeting = meetings[0]
    form = BriefingForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        answer = _answer(modeladmin, request, content.Scope(meeting=meeting.key), form)
        if answer is not None:
            return answer
    return _form_page(
        modeladmin,
        request,
        form,
        action="brief_meeting",
        selected=[meeting.pk],
        scope_line=str(meeting),
    )


@admin.action(description=_("Prepare a briefing on the selected commitments"))
def brief_commitments(modeladmin, request, queryset):
    ids = sorted(queryset.values_list("pk", flat=True))
    form = BriefingForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        answer = _answer(modeladmin, request, content.Scope(ids=tuple(ids)), form)
        if answer is not None:
            return answer
    return _form_page(
        modeladmin,
        request,
        form,
        action="brief_commitments",
        selected=ids,
        scope_line=gettext("Selected commitments: %(count)d.") % {"count": len(ids)},
    )


@admin.register(BriefingRequest)
class BriefingRequestAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "progress", "requested_by", "created_at", "download")
    list_filter = ("state", "language", "format")
    fields = (
        "requested_by",
        "meeting_key",
        "country_code",
        "commitment_ids",
        "since",
        "language",
        "format",
        "state",
        "progress",
        "download",
        "error",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("requested_by")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(requested_by=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Progress"))
    def progress(self, obj):
        return f"{obj.done} / {obj.total} ({obj.percent}%)"

    @admin.display(description=_("File"))
    def download(self, obj):
        if not obj.has_file:
            return "—"
        url = reverse("admin:commitments_briefingrequest_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<int:pk>/download/", download, name="commitments_briefingrequest_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = self.get_queryset(request).filter(pk=pk).first()
        if found is None or not found.has_file:
            raise Http404
        return downloads.kept_file_response(found)
