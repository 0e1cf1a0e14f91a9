"""Django admin for council secretariat staff; each module registers its models."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..events import admin as events_admin  # noqa: F401  (registration)
from ..ingestion import admin as ingestion_admin  # noqa: F401  (registration)
from . import commitments, people, reference, tokens  # noqa: F401  (registration)

admin.site.site_header = _("Kazakhstan–Kyrgyzstan commitment tracker")
admin.site.site_title = _("Commitment tracker")
admin.site.index_title = _("Secretariat")
