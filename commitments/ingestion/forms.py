"""The admin's "add a source" form: pasted text or an uploaded file, stored by the service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Source
from . import services


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

    def _post_clean(self):
        """The service validates and saves (or refuses, saving nothing)."""
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.saved, _created = services.source_add_from_input(
                actor=self.request_user, data=data, upload=data.get("upload")
            )
        except ValidationError as error:
            self.add_error(None, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
