from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("commitments.api.urls")),
    path("reminders/", include("commitments.reminders.urls")),
    path("", include("commitments.public.urls")),
]

if settings.BENCHMARK_REFERENCE_VIEWS:
    urlpatterns += [path("bench/", include("commitments.benchmarking.urls"))]
