from django.contrib import admin

from .models import Commitment, Country, Evidence, Meeting, Source, StatusChange

admin.site.site_header = "Kazakhstan–Kyrgyzstan commitment tracker"
admin.site.site_title = "Commitment tracker"

for model in (Commitment, Country, Evidence, Meeting, Source, StatusChange):
    admin.site.register(model)

from . import admin_reminders  # noqa: E402, F401  (registers Reminder and ReminderPreference)
