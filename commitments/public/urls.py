from django.urls import path

from . import feeds, views

app_name = "public"

urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
    path("commitments/<slug:slug>/", views.commitment_detail, name="commitment_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feeds/status-changes.atom", feeds.status_change_feed, name="status_feed"),
    path(
        "feeds/status-changes/<str:code>.atom",
        feeds.status_change_feed,
        name="status_feed_country",
    ),
    path("feeds/target-dates.ics", feeds.target_dates, name="target_dates"),
    path("feeds/target-dates/<str:code>.ics", feeds.target_dates, name="target_dates_country"),
]
