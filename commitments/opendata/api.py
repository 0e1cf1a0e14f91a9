"""The package through the API: the same file as the public download, for token holders."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.views import APIView

from ..rest.renderers import JSONRenderer
from . import views


class ZipRenderer(renderers.BaseRenderer):
    """Lets a caller ask for `Accept: application/zip`; errors stay JSON problems."""

    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if not isinstance(data, bytes) else data


class DataPackageView(APIView):
    renderer_classes = [JSONRenderer, ZipRenderer]

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
