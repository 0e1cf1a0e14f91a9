from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Category, Country
from ..progress import Progress
from ..rules import Status


class CommitmentFilterForm(forms.Form):
    """The public list's filters, read from the query string; every field is optional."""

    STALE_CHOICES = (("", _("Any")), ("yes", _("Stale only")), ("no", _("Not stale")))

    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    country = forms.ChoiceField(label=_("Country (owner or partner)"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    stale = forms.ChoiceField(label=_("Review"), required=False, choices=STALE_CHOICES)
    progress = forms.ChoiceField(
        label=_("Progress"), required=False, choices=[("", _("Any progress")), *Progress.choices]
    )
    slipped = forms.ChoiceField(
        label=_("Target date"),
        required=False,
        choices=(("", _("Any")), ("yes", _("Postponed")), ("no", _("Never postponed"))),
    )
    diverging = forms.ChoiceField(
        label=_("Parties' accounts"),
        required=False,
        choices=(("", _("Any")), ("yes", _("The parties' accounts differ"))),
    )

    def __init__(self, *args, countries: list[Country], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("Any country")),
            *((c.code, c.local_name) for c in countries),
        ]

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "search": data["q"],
            "country": data["country"],
            "status": data["status"],
            "category": data["category"],
            "stale": {"yes": True, "no": False}.get(data["stale"]),
            "progress": data["progress"],
            "slipped": {"yes": True, "no": False}.get(data["slipped"]),
            "diverging": data["diverging"] == "yes",
        }
