"""The package through the API: the same file as the public download, for token holders."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from ..rest.renderers import JSONRenderer
from . import views


class DataPackageView(APIView):
    # The answer is the zip file itself; errors (401, 429) are JSON problems whatever the caller
    # accepts, as a client asking for application/zip must not get 406 instead of its file.
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="datapackage_retrieve",
        summary="The whole public record as a Frictionless Data Package (zip)",
        description=(
            "datapackage.json (licence, last_modified, a Table Schema per table) and one CSV "
            "file per table: countries, meetings, sources, commitments, evidence, status "
            "changes, target-date changes, progress observations, party positions, instrument "
            "dates per party. Internal notes and people are not included. Send If-None-Match "
            "with the ETag (or If-Modified-Since) to get 304 when nothing changed."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The package."
            ),
            304: OpenApiResponse(description="Not modified since the ETag or date sent."),
        },
        tags=["open data"],
    )
    def get(self, request):
        return views.package_response(request, private=True)
