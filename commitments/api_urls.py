"""The API's routes, assembled above the parts that serve them: the record's endpoints (`api`),
the review queue (`ingestion`) and the change feed and webhooks (`events`), under one router and
one namespace, with the schema, its documentation pages and the problem-details 404."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from commitments.api import views
from commitments.briefing import api as briefing_api
from commitments.events import api as events_api
from commitments.ingestion import api as ingestion_api
from commitments.opendata import api as opendata_api
from commitments.rest.schema import ID_PATTERN
from commitments.rest.views import NotFoundView

app_name = "api"

router = SimpleRouter()
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register(
    f"commitments/(?P<commitment_id>{ID_PATTERN})/evidence",
    views.CommitmentEvidenceViewSet,
    basename="commitment-evidence",
)
router.register(
    f"commitments/(?P<commitment_id>{ID_PATTERN})/history",
    views.CommitmentHistoryViewSet,
    basename="commitment-history",
)
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("sources", views.SourceViewSet, basename="source")
router.register("suggestions", ingestion_api.SuggestionViewSet, basename="suggestion")
router.register("countries", views.CountryViewSet, basename="country")
router.register("status-changes", views.StatusChangeViewSet, basename="statuschange")
router.register("webhooks", events_api.WebhookEndpointViewSet, basename="webhook")

# The schema and its documentation pages are public: they describe the API, they hold no data.
public = {"permission_classes": [AllowAny]}

urlpatterns = [
    *router.urls,
    path("events/", events_api.EventFeedView.as_view(), name="events"),
    path("briefing/", briefing_api.BriefingView.as_view(), name="briefing"),
    path(
        "briefing-requests/<int:pk>/",
        briefing_api.BriefingRequestView.as_view(),
        name="briefing-request",
    ),
    path(
        "briefing-requests/<int:pk>/file/",
        briefing_api.BriefingFileView.as_view(),
        name="briefing-request-file",
    ),
    path("datapackage.zip", opendata_api.DataPackageView.as_view(), name="datapackage"),
    path("schema/", SpectacularAPIView.as_view(**public), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", **public), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", **public), name="redoc"),
    re_path(r"^[\s\S]*$", NotFoundView.as_view(), name="not-found"),
]
