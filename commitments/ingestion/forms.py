"""The admin's "add a source" form: pasted text or an uploaded file, validated here and stored
by the service when the admin saves (`save_through_services`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .. import access
from ..admin_kit import RefusedOnSave, refusal_to_show
from ..models import Source
from . import services
from .extraction import extract


class SourceAddForm(forms.ModelForm):
    text = forms.CharField(label=_("text"), widget=forms.Textarea, required=False)
    upload = forms.FileField(
        label=_("or upload a file"),
        required=False,
        help_text=_(".txt, .html or .pdf; the text is extracted and stored as it is."),
    )
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="https")
    language = forms.ChoiceField(
        label=_("language"),
        required=False,
        choices=[("", _("Detect")), *Source._meta.get_field("language").choices],
    )

    class Meta:
        model = Source
        fields = ("title", "publisher", "published_on", "url", "language", "text")

    def clean(self):
        cleaned = super().clean()
        refused = refusal_to_show(self.request)
        if refused is not None:
            raise refused
        if self.errors:
            return cleaned
        verdict = access.may_edit_any(self.request.user)
        if not verdict:
            raise ValidationError(str(verdict.refusal))
        upload = cleaned.get("upload")
        try:
            # Read here to refuse an empty, binary or unreadable file before anything is saved;
            # the service reads it again when the admin saves.
            extract(
                text=cleaned.get("text", ""),
                file_name=upload.name if upload else "",
                file_data=upload.read() if upload else None,
                language=cleaned.get("language", ""),
            )
        finally:
            if upload:
                upload.seek(0)
        return cleaned

    def _post_clean(self):
        """No model validation here: the service builds and validates the source on saving."""

    def save_through_services(self) -> Source:
        """Store the source (or find the same text already stored); a refusal is raised as
        RefusedOnSave."""
        data = self.cleaned_data
        try:
            source, _created = services.source_add_from_input(
                actor=self.request.user, data=data, upload=data.get("upload")
            )
        except (PermissionDenied, ValidationError) as error:
            raise RefusedOnSave(error) from error
        return source
