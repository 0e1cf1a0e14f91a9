from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("commitments.api.urls")),
    path("reminders/", include("commitments.reminder_urls")),
    path("", include("commitments.public.urls")),
]
