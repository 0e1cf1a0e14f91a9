"""Django admin for council secretariat staff; each module registers its models (the events' and
ingestion's admins are found by Django in their own apps)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import commitments, people, reference, tokens  # noqa: F401  (registration)

admin.site.site_header = _("Kazakhstan–Kyrgyzstan commitment tracker")
admin.site.site_title = _("Commitment tracker")
admin.site.index_title = _("Secretariat")
