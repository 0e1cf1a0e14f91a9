"""The review queue through the API: list, accept (optionally with changes), reject; and adding
sources (pasted text as JSON, or a file as multipart)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import access
from ..rest.views import ReadOnlyRowsViewSet, summaries
from . import kinds, services
from .models import Suggestion
from .serializers import (
    AcceptSerializer,
    RejectSerializer,
    SourceCreateSerializer,
    SourceUploadSerializer,
    SuggestionSerializer,
)


def review_action(summary: str, body):
    """A reviewer's decision on one suggestion: a POST that takes `body` and answers with the
    suggestion as it then stands."""

    def declare(view):
        routed = action(detail=True, methods=["post"])(view)
        return extend_schema(summary=summary, request=body, responses=SuggestionSerializer)(routed)

    return declare


@summaries(
    list="List the suggestions you may review (filter by source, status)",
    retrieve="Get one suggestion",
)
class SuggestionViewSet(ReadOnlyRowsViewSet):
    serializer_class = SuggestionSerializer
    filterset_fields = ("source", "status", "kind")

    def get_queryset(self):
        queryset = Suggestion.objects.select_related("commitment").order_by("source_id", "pk")
        return access.reviewable(self.request.user, queryset)

    @review_action("Accept a suggestion, as proposed or with changes", AcceptSerializer)
    def accept(self, request, pk=None):
        suggestion = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = kinds.reviewer_changes(body.validated_data)
        # A refusal (ValidationError) becomes the API's validation problem in its exception
        # handler, as everywhere else: field errors by field, others under non_field_errors.
        accepted = services.suggestion_accept(
            suggestion=suggestion, actor=request.user, changes=changes
        )
        return Response(SuggestionSerializer(accepted).data)

    @review_action("Reject a suggestion with a reason (it is not proposed again)", RejectSerializer)
    def reject(self, request, pk=None):
        suggestion = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rejected = services.suggestion_reject(
            suggestion=suggestion, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(SuggestionSerializer(rejected).data)


def create_source(request) -> Response:
    multipart = (request.content_type or "").startswith("multipart/")
    body = (SourceUploadSerializer if multipart else SourceCreateSerializer)(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    upload = data.pop("file", None)
    source, created = services.source_add_from_input(actor=request.user, data=data, upload=upload)
    return Response(
        {"id": source.pk, "title": source.title, "language": source.language, "created": created},
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )
