from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from commitments.opendata import views as opendata
from commitments.public.access import public_feed, public_page

urlpatterns = [
    # The data package import: an admin page of its own, for no one model.
    path("admin/opendata/import/", include("commitments.opendata.admin_import")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("commitments.api_urls")),
    path("reminders/", include("commitments.reminders.urls")),
]

# The performance lab's reference views: only where the lab is installed (never in production
# by default) and the benchmark asked for them.
if apps.is_installed("perf") and settings.BENCHMARK_REFERENCE_VIEWS:
    urlpatterns += [path("bench/", include("perf.urls"))]

# The public pages in each language: English at the addresses they always had (/, /commitments/...,
# /feeds/...), the others under their prefix (/ru/, /kk/, /ky/). Feeds keep their English URLs and
# gain translated twins under the prefixes.
# The open data's page and download sit with the public pages and honour their closed-site switch
# (the download, fetched by programs, answers 401 as the feeds do).
urlpatterns += i18n_patterns(
    path("", include("commitments.public.urls")),
    path("data/", public_page(opendata.data_page), name="open_data"),
    path("data/datapackage.zip", public_feed(opendata.download), name="open_data_package"),
    prefix_default_language=False,
)
