"""Django admin for council secretariat staff; each module registers its models."""

from django.contrib import admin

from ..events import admin as events_admin  # noqa: F401  (registration)
from . import commitments, people, reference, tokens  # noqa: F401  (registration)

admin.site.site_header = "Kazakhstan–Kyrgyzstan commitment tracker"
admin.site.site_title = "Commitment tracker"
admin.site.index_title = "Secretariat"
