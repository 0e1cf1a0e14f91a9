"""The review queue: suggestions by source, the quote highlighted in its context; accept (as is or
edited) or reject with a reason, one by one or in bulk. Staff see only their countries' work."""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import access, translation
from .. import messages as app_messages
from ..admin_kit import AgreeingMessages, RefusedOnSave, ShowsRefusalOnForm, refusal_to_show
from ..fields import SOURCE_ALIASES
from . import kinds, services
from .models import MatchTerm, Suggestion

CONTEXT_CHARS = 300
# The review form's field for a model column the services may name in an error (title_en).
FORM_FIELD_OF_COLUMN = {column: name for name, column in SOURCE_ALIASES.items()}


def on_review_form(error: ValidationError, form_fields) -> ValidationError:
    """A service's errors placed on the review form: a column on the field that edits it, any
    field the form lacks above the form (the form refuses errors on fields it does not have)."""
    if not hasattr(error, "error_dict"):
        return error
    placed: dict[str, list[str]] = {}
    for column, column_messages in error.message_dict.items():
        name = FORM_FIELD_OF_COLUMN.get(column, column)
        listed = placed.setdefault(name if name in form_fields else NON_FIELD_ERRORS, [])
        listed += [message for message in column_messages if message not in listed]
    return ValidationError(placed)


def lang_attribute(language: str) -> str:
    """` lang="ru"` for text in a language other than the page's (so screen readers voice it in
    its own), "" for text in the page's language."""
    if language == translation.content_language():
        return ""
    return format_html(' lang="{}"', language)


class SuggestionActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (to reject)"), required=False)


# The payload fields a reviewer may change before accepting, as `kinds` declares them.
ReviewerChangesForm = type(forms.Form)("ReviewerChangesForm", (forms.Form,), kinds.form_fields())


class SuggestionForm(ReviewerChangesForm, forms.ModelForm):
    """Validates the reviewer's decision; SuggestionAdmin.save_model has the services carry it
    out (`carry_out`)."""

    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea)
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Suggestion
        fields = ("commitment", "quote")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in kinds.editable_fields():
            self.fields[name].initial = self.instance.payload.get(name)
        language = self.instance.source.language
        if language != translation.content_language():
            self.fields["quote"].widget.attrs["lang"] = language

    def clean_quote(self):
        # Browsers send a textarea's line breaks as CR LF; a source's text has LF only.
        return self.cleaned_data["quote"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        refused = refusal_to_show(self.request)
        if refused is not None:
            raise on_review_form(refused, self.fields)
        if cleaned["decision"] == "reject" and not cleaned.get("reason", "").strip():
            raise ValidationError({"reason": [app_messages.REJECTION_REASON_REQUIRED]})
        decided = copy.copy(self.instance)
        if cleaned["decision"] == "accept" and cleaned.get("commitment") is not None:
            decided.commitment = cleaned["commitment"]  # accepted as about this one
        verdict = access.may_review(self.request.user, decided)
        if not verdict:
            raise ValidationError(str(verdict.refusal))
        return cleaned

    def carry_out(self) -> None:
        """Accept or reject through the services, as the reviewer decided; a refusal is raised as
        RefusedOnSave."""
        cleaned, actor = self.cleaned_data, self.request.user
        try:
            if cleaned["decision"] == "reject":
                services.suggestion_reject(
                    suggestion=self.instance, actor=actor, reason=cleaned.get("reason", "")
                )
            else:
                entered = {name: cleaned.get(name) for name in ("commitment", "quote")}
                entered.update({name: cleaned.get(name) for name in kinds.editable_fields()})
                changes = kinds.reviewer_changes(entered)
                services.suggestion_accept(suggestion=self.instance, actor=actor, changes=changes)
        except (PermissionDenied, ValidationError) as error:
            raise RefusedOnSave(error) from error


@admin.register(Suggestion)
class SuggestionAdmin(AgreeingMessages, ShowsRefusalOnForm, admin.ModelAdmin):
    list_display = ("kind", "commitment", "short_quote", "score", "status", "source")
    list_filter = ("status", "kind", "source")
    list_select_related = ("commitment", "source")
    search_fields = ("quote",)
    action_form = SuggestionActionForm
    actions = ["accept_selected", "reject_selected"]
    form = SuggestionForm
    readonly_fields = ("kind", "in_context", "payload", "score", "method", "status")
    fields = (
        "kind",
        "in_context",
        "commitment",
        "quote",
        *kinds.editable_fields(),
        "payload",
        "score",
        "method",
        "status",
        "decision",
        "reason",
    )
    raw_id_fields = ("commitment",)

    def get_readonly_fields(self, request, obj=None):
        # The reason is typed when rejecting; once reviewed it is the record of the decision.
        if obj is not None and obj.status != Suggestion.State.PENDING:
            return (*self.readonly_fields, "reason")
        return self.readonly_fields

    def get_queryset(self, request):
        return access.reviewable(request.user, super().get_queryset(request))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def has_add_permission(self, request):
        return False

    def save_form(self, request, form, change):
        # The suggestion is not saved from the form: save_model has the services decide it.
        return form.instance

    def save_model(self, request, obj, form, change):
        form.carry_out()
        # The admin goes on with `obj` (log entry, message): give it the decided record.
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """A suggestion has no relations the form edits."""

    @admin.display(description=_("quote"))
    def short_quote(self, obj):
        return format_html(
            "<span{}>{}</span>", lang_attribute(obj.source.language), obj.quote[:120]
        )

    @admin.display(description=_("in context"))
    def in_context(self, obj):
        text = obj.source.text
        before = text[max(0, obj.start - CONTEXT_CHARS) : obj.start]
        after = text[obj.end : obj.end + CONTEXT_CHARS]
        return format_html(
            '<p class="suggestion-context"{}>…{}<mark>{}</mark>{}…</p>',
            lang_attribute(obj.source.language),
            before,
            text[obj.start : obj.end],
            after,
        )

    def _each(self, request, queryset, decide):
        done, refused = 0, []
        for suggestion in queryset.filter(status=Suggestion.State.PENDING):
            try:
                decide(suggestion)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(
                    f"#{suggestion.pk}: {'; '.join(getattr(error, 'messages', [str(error)]))}"
                )
        self.message_user(request, _("%(n)d suggestion(s) done.") % {"n": done})
        if refused:
            self.message_user(request, " ".join(refused), messages.ERROR)

    @admin.action(description=_("Accept the selected suggestions"))
    def accept_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: services.suggestion_accept(suggestion=s, actor=request.user),
        )

    @admin.action(description=_("Reject the selected suggestions (give a reason)"))
    def reject_selected(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._each(
            request,
            queryset,
            lambda s: services.suggestion_reject(suggestion=s, actor=request.user, reason=reason),
        )


@admin.register(MatchTerm)
class MatchTermAdmin(admin.ModelAdmin):
    list_display = ("term", "commitment")
    search_fields = ("term", "commitment__title")
    raw_id_fields = ("commitment",)
