"""Admin forms: they translate input and ask `rules` and `access`; services do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import access, messages, rules, services
from ..fields import SOURCE_ALIASES
from ..models import Commitment, Source
from ..rules import Status

DESCRIPTIVE_FIELDS = services.EDITABLE_FIELDS
ENGLISH_TITLE = SOURCE_ALIASES["title"]
ENGLISH_TITLE_HELP = _(
    "Required. A page in a language with no title of its own shows this English title, marked "
    "as English."
)
SLUG_HELP = _("Stable identifier used in URLs; made from the English title when left empty.")
# The empty choice of the status menu on a commitment's change page.
KEEP_CURRENT_STATUS = _("— keep current status —")


class StatusMoveField(forms.ChoiceField):
    """Offers the allowed moves but accepts any status, so the rules (not the widget) refuse."""

    def valid_value(self, value) -> bool:
        return value in Status.values


def transition_errors(error: ValidationError) -> list[str]:
    """The messages of a rules ValidationError keyed on `status`."""
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


class CommitmentAdminForm(forms.ModelForm):
    """Descriptive fields plus a status move; `status` itself is never a plain editable field.

    On change, `new_status` is checked against the transition rules here, in the clean phase, so
    a forbidden move is a form error and nothing (inlines included) is saved.
    """

    request_user = None  # set by CommitmentAdmin.get_form

    new_status = StatusMoveField(
        required=False,
        label=_("New status"),
        help_text=_("Leave empty to keep the current status."),
    )
    status_note = forms.CharField(
        required=False,
        label=_("Status note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the status changes (required with a new status)."),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    target_date_reason = forms.CharField(
        required=False,
        label=_("Why the target date moves"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when a set target date changes; kept in the record of its moves."),
    )
    target_date_source = forms.ModelChoiceField(
        queryset=Source.objects.defer("text"),
        required=False,
        label=_("Source of the new target date"),
    )

    class Meta:
        model = Commitment
        fields = (*DESCRIPTIVE_FIELDS, "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "new_status" in self.fields:
            moves = rules.allowed_transitions(self.instance.status)
            self.fields["new_status"].choices = [("", KEEP_CURRENT_STATUS)] + [
                (move, Status(move).label) for move in moves
            ]
            if not moves:
                self.fields["new_status"].help_text = _("This status is final.")
            self.fields["expected_version"].initial = self.instance.version
        if self.instance.pk is None and "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_HELP
        if ENGLISH_TITLE in self.fields:
            self.fields[ENGLISH_TITLE].help_text = ENGLISH_TITLE_HELP
            self.fields[ENGLISH_TITLE].error_messages["required"] = messages.ENGLISH_TITLE_REQUIRED

    def _update_errors(self, errors):
        # The model says "title" for its English column, which this form edits as `title_en`:
        # Django's form refuses (with a 500) an error on a field it does not have.
        if hasattr(errors, "error_dict") and "title" in errors.error_dict:
            error_dict = dict(errors.error_dict)
            del error_dict["title"]
            if ENGLISH_TITLE not in self._errors:  # else the field said it already
                error_dict[ENGLISH_TITLE] = [
                    ValidationError(messages.ENGLISH_TITLE_REQUIRED, code="required")
                ]
            errors = ValidationError(error_dict)
        super()._update_errors(errors)

    def clean_new_status(self) -> str:
        new_status = self.cleaned_data.get("new_status") or ""
        if new_status and self.instance.pk is not None:
            try:
                rules.check_transition(self.instance.status, new_status)
            except ValidationError as exc:
                raise ValidationError(
                    transition_errors(exc), code="transition_not_allowed"
                ) from exc
        return new_status

    def clean_expected_version(self):
        expected = self.cleaned_data.get("expected_version")
        if self.instance.pk is not None and expected not in (None, self.instance.version):
            raise ValidationError(messages.STALE_FORM, code="version_conflict")
        return expected

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_status") and not (cleaned.get("status_note") or "").strip():
            self.add_error("status_note", messages.NOTE_REQUIRED)
        if (
            self.instance.pk is not None
            and "target_date" in self.changed_data
            and self.initial.get("target_date") is not None
            and not (cleaned.get("target_date_reason") or "").strip()
        ):
            self.add_error("target_date_reason", messages.TARGET_DATE_REASON_REQUIRED)
        self._check_countries(cleaned)
        return cleaned

    def _check_countries(self, cleaned) -> None:
        """The owner/partner rules of `access`, as form errors (the service checks them again)."""
        owner = cleaned.get("owner_country")
        if owner is None or "partner_countries" in self.errors:
            return
        changed = {"owner_country", "partner_countries"} & set(self.changed_data)
        if self.instance.pk is None:
            verdict, field = access.may_create(self.request_user, owner.code), "owner_country"
        elif changed:
            verdict = access.may_change_countries(self.request_user, self.instance, owner.code)
            field = "owner_country" if "owner_country" in changed else "partner_countries"
        else:
            return  # countries untouched: nothing to ask
        if not verdict:
            self.add_error(field, verdict.refusal)
            return
        for message in access.country_errors(owner.code, self._submitted_partner_codes()):
            self.add_error("partner_countries", message)

    def _submitted_partner_codes(self) -> list[str]:
        # The multiple-choice field collapses a country sent twice; the raw POST still shows it.
        name = self.add_prefix("partner_countries")
        getlist = getattr(self.data, "getlist", None)
        return list(getlist(name)) if getlist else list(self.data.get(name) or ())


class BulkStatusChangeForm(forms.Form):
    new_status = forms.ChoiceField(choices=Status.choices, label=_("New status"))
    note = forms.CharField(
        label=_("Status note"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Recorded in each commitment's history."),
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(messages.NOTE_REQUIRED)
        return note
