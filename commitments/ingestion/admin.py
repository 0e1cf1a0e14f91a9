"""The review queue: suggestions by source, the quote highlighted in its context; accept (as is or
edited) or reject with a reason, one by one or in bulk. Staff see only their countries' work."""

from __future__ import annotations

import copy
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import access, formatting, translation
from .. import messages as app_messages
from ..admin_kit import (
    AgreeingMessages,
    PlainTextForms,
    RefusedOnSave,
    ShowsRefusalOnForm,
    refusal_to_show,
)
from ..fields import SOURCE_ALIASES
from ..models import Source
from ..rules import refuse_control_characters
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


TITLE_HELP = _(
    "Kept in the language you type it in: Russian, Kazakh or Kyrgyz words as that language's "
    "title, Latin letters as the English one. The English title, which every commitment needs, "
    "holds the same words until someone translates it."
)


class SuggestionActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (to reject)"), required=False, validators=[refuse_control_characters]
    )


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
        payload = self.instance.payload
        own = kinds.field_names(self.instance.kind)
        for name, declared in kinds.editable_fields().items():
            if name not in own:
                del self.fields[name]  # another kind's: neither shown nor taken
                continue
            self.fields[name].initial = declared.initial(payload.get(name))
            if declared.type == "date":
                self.fields[name].widget = AdminDateWidget()
        self._explain_amounts(payload)
        if "title" in self.fields:
            self.fields["title"].help_text = TITLE_HELP
        language = self.instance.source.language
        if language != translation.content_language():
            self.fields["quote"].widget.attrs["lang"] = language

    def _explain_amounts(self, payload) -> None:
        """Under each proposed amount, the amount as the pages write it ("1,4 млрд долларов
        США"): the input holds the plain number."""
        for amount, unit in (("value", "unit"), ("target_amount", "target_unit")):
            value = kinds.editable_fields()[amount].initial(payload.get(amount))
            if amount in self.fields and isinstance(value, Decimal):
                text = formatting.format_amount(value, payload.get(unit) or "")
                self.fields[amount].help_text = text

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


class SourceFilter(admin.RelatedFieldListFilter):
    """By source, the choices read without the sources' texts (one may be megabytes)."""

    def field_choices(self, field, request, model_admin):
        sources = Source.objects.only("pk", "title", "publisher", "published_on")
        sources = sources.order_by("-published_on", "pk")
        return [(source.pk, str(source)) for source in sources]


class ReviewStatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits for a reviewer; "All" is a choice like the others."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, _("All")), *Suggestion.State.choices]

    def value(self):
        return super().value() or Suggestion.State.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value) if value in Suggestion.State.values else queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


# Shown read-only: what the analysis read that the reviewer does not edit, by kind.
PROPOSAL_LABELS = {
    "figure": _("in the article"),
    "period_label": _("period, as the article names it"),
    "conflicts_with": _("recorded figures that differ"),
    "name": _("meeting"),
    "held_on": _("held on"),
    "location": _("place"),
    "meeting": _("recorded meeting"),
}


@admin.register(Suggestion)
class SuggestionAdmin(PlainTextForms, AgreeingMessages, ShowsRefusalOnForm, admin.ModelAdmin):
    list_display = ("kind", "about", "short_quote", "score", "status", "short_source")
    list_filter = (ReviewStatusFilter, "kind", ("source", SourceFilter))
    list_select_related = ("commitment", "source")
    search_fields = ("quote",)
    action_form = SuggestionActionForm
    actions = ["accept_selected", "reject_selected"]
    form = SuggestionForm
    readonly_fields = ("kind", "in_context", "proposal", "score", "method", "status")
    raw_id_fields = ("commitment",)

    class Media:
        css = {"all": ("ingestion/review.css",)}

    def changelist_view(self, request, extra_context=None):
        # The queue needs the width: the quote, score, status and source beside the commitment
        # at 1280 px. Without the side menu (the breadcrumbs lead back to the other lists).
        context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_list_display(self, request):
        """Fewer columns where the filters already say it: the status when one is chosen (the
        queue opens on pending), the source when the queue shows one source's suggestions; so
        the quote has room at 1280 px."""
        shown = list(self.list_display)
        if request.GET.get(ReviewStatusFilter.parameter_name) != ReviewStatusFilter.ALL:
            shown.remove("status")
        if "source__id__exact" in request.GET:
            shown.remove("short_source")
        return shown

    def get_fields(self, request, obj=None):
        """The fields of this suggestion's kind only: a figure has no title, a meeting no
        value."""
        own = kinds.field_names(obj.kind if obj is not None else "")
        payload = obj.payload if obj is not None else {}
        return (
            "kind",
            "in_context",
            "commitment",
            "quote",
            *(name for name in kinds.editable_fields() if name in own),
            *(("proposal",) if PROPOSAL_LABELS.keys() & payload.keys() else ()),
            "score",
            "method",
            "status",
            "decision",
            "reason",
        )

    def get_readonly_fields(self, request, obj=None):
        # The reason is typed when rejecting; once reviewed it is the record of the decision.
        if obj is not None and obj.status != Suggestion.State.PENDING:
            return (*self.readonly_fields, "reason")
        return self.readonly_fields

    def get_queryset(self, request):
        # A row needs its source's title and language, never its text (read once, for the one
        # suggestion shown, by `in_context`).
        queryset = super().get_queryset(request).defer("source__text")
        return access.reviewable(request.user, queryset)

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

    @admin.display(description=_("commitment"), ordering="commitment")
    def about(self, obj):
        """The commitment it is about, or what it proposes (a new commitment's title)."""
        if obj.commitment is not None:
            return str(obj.commitment)
        return obj.payload.get("title") or obj.payload.get("name") or "—"

    @admin.display(description=_("source"), ordering="source")
    def short_source(self, obj):
        source = obj.source
        published = formatting.short_date(source.published_on)
        return f"{source.publisher or source.title[:60]}, {published}"

    @admin.display(description=_("details"))
    def proposal(self, obj):
        """The payload's read-only part, worded and formatted as the rest of admin writes it."""
        rows = []
        for key, label in PROPOSAL_LABELS.items():
            value = obj.payload.get(key)
            if value in (None, "", []):
                continue
            if key == "held_on":
                value = formatting.short_date(kinds.PayloadField(key, "date").initial(value))
            elif key == "conflicts_with":
                value = "; ".join(
                    formatting.format_amount(Decimal(row["value"]), row.get("unit") or "")
                    for row in value
                )
            rows.append((label, value))
        if not rows:
            return "—"
        return format_html_join("", "<div><strong>{}:</strong> {}</div>", rows)

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
class MatchTermAdmin(PlainTextForms, admin.ModelAdmin):
    list_display = ("term", "commitment")
    search_fields = ("term", "commitment__title")
    raw_id_fields = ("commitment",)
