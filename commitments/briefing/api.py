"""The briefing through the API.

`GET /api/v1/briefing/?meeting=<key>|country=<code>|ids=1,2&since=&language=&format=docx|pdf`
answers the file itself for a scope of up to BRIEFING_DIRECT_MAX_ITEMS commitments; a larger one
answers 202 with the Location of its request, whose GET shows the progress and, when it is done,
the link of the file (`/api/v1/briefing-requests/<id>/file/`). Any valid token reads, as for every
read of the record; bad input is a problem+json 400 naming the parameter.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from commitments.rest.views import ApiViewMixin

from . import content, downloads, services
from .models import BriefingRequest


class _FileAnswers:
    """The file's answers bypass the JSON renderer; `?format=pdf` is the briefing's own parameter
    here, not DRF's renderer override, so negotiation never refuses it."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


def _scope(params) -> content.Scope:
    ids = content.parse_ids(params["ids"]) if params.get("ids") else ()
    return content.Scope(
        meeting=params.get("meeting", "").strip(),
        country=params.get("country", "").strip().upper(),
        ids=ids,
    )


class BriefingRequestSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = BriefingRequest
        fields = [
            "id",
            "meeting_key",
            "country_code",
            "commitment_ids",
            "since",
            "language",
            "format",
            "state",
            "done",
            "total",
            "file_url",
            "created_at",
            "finished_at",
        ]

    def get_file_url(self, obj) -> str | None:
        if not obj.has_file:
            return None
        url = reverse("api:briefing-request-file", args=[obj.pk])
        return self.context["request"].build_absolute_uri(url)


PARAMETERS = [
    OpenApiParameter(
        "meeting",
        str,
        description="A meeting's key: its commitments and earlier meetings' ones, still open.",
    ),
    OpenApiParameter("country", str, description="An ISO code: its open commitments."),
    OpenApiParameter("ids", str, description="Commitment ids, comma-separated."),
    OpenApiParameter(
        "since",
        OpenApiTypes.DATE,
        description="What changed since this date; "
        "default: the previous meeting's date, or 90 days before the last change.",
    ),
    OpenApiParameter("language", str, enum=list(content.LANGUAGES), required=True),
    OpenApiParameter("format", str, enum=list(content.FORMATS), required=True),
]


class BriefingView(_FileAnswers, ApiViewMixin, APIView):
    @extend_schema(
        summary="A briefing as DOCX or PDF",
        parameters=PARAMETERS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            (
                200,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ): OpenApiResponse(OpenApiTypes.BINARY, description="DOCX"),
            202: OpenApiResponse(
                BriefingRequestSerializer, description="Large: queued; see Location."
            ),
        },
    )
    def get(self, request):
        params = request.query_params
        scope = _scope(params)
        outcome = services.request_briefing(
            scope,
            language=params.get("language", ""),
            fmt=params.get("format", ""),
            since=content.parse_since(params.get("since")),
        )
        if isinstance(outcome, services.Ready):
            return downloads.ready_response(outcome)
        location = request.build_absolute_uri(reverse("api:briefing-request", args=[outcome.pk]))
        body = BriefingRequestSerializer(outcome, context={"request": request}).data
        return Response(body, status=202, headers={"Location": location})


class BriefingRequestView(ApiViewMixin, APIView):
    @extend_schema(
        summary="A queued briefing: its progress and file", responses=BriefingRequestSerializer
    )
    def get(self, request, pk: int):
        found = BriefingRequest.objects.filter(pk=pk).first()
        if found is None:
            raise NotFound()
        return Response(BriefingRequestSerializer(found, context={"request": request}).data)


class BriefingFileView(_FileAnswers, ApiViewMixin, APIView):
    @extend_schema(
        summary="A queued briefing's file, once built",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int):
        found = BriefingRequest.objects.filter(pk=pk).first()
        if found is None or not found.has_file:
            raise NotFound()
        return downloads.kept_file_response(found)
