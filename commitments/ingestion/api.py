"""The review queue through the API: list, accept (optionally with changes), reject; and adding
sources (pasted text as JSON, or a file as multipart)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from ..api.views import ApiViewMixin
from ..models import Source
from . import services
from .models import Suggestion


class SuggestionSerializer(serializers.ModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Suggestion
        fields = (
            "id", "source", "kind", "commitment", "quote", "start", "end", "score", "method",
            "method_version", "payload", "status", "reason", "reviewed_at",
        )  # fmt: skip


class AcceptSerializer(serializers.Serializer):
    commitment = serializers.IntegerField(required=False)
    quote = serializers.CharField(required=False)
    value = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    title = serializers.CharField(required=False)
    category = serializers.CharField(required=False)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _as_api_error(error: ValidationError) -> ApiValidationError:
    if hasattr(error, "error_dict"):
        return ApiValidationError(error.message_dict)
    return ApiValidationError({"detail": error.messages})


class SuggestionViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SuggestionSerializer
    filterset_fields = ("source", "status", "kind")

    def get_queryset(self):
        queryset = Suggestion.objects.select_related("commitment")
        return services.reviewable(self.request.user, queryset)

    @extend_schema(request=AcceptSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        suggestion = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = {
            k: (str(v) if k.startswith("period") else v) for k, v in body.validated_data.items()
        }
        try:
            accepted = services.suggestion_accept(
                suggestion=suggestion, actor=request.user, changes=changes
            )
        except ValidationError as error:
            raise _as_api_error(error) from error
        return Response(SuggestionSerializer(accepted).data)

    @extend_schema(request=RejectSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        suggestion = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            rejected = services.suggestion_reject(
                suggestion=suggestion, actor=request.user, reason=body.validated_data["reason"]
            )
        except ValidationError as error:
            raise _as_api_error(error) from error
        return Response(SuggestionSerializer(rejected).data)


class SourceCreateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="")
    published_on = serializers.DateField()
    publisher = serializers.CharField(required=False, allow_blank=True, default="")
    url = serializers.URLField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=["en", "ru", "kk", "ky"], required=False, allow_blank=True, default=""
    )
    text = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    file = serializers.FileField(required=False)


def create_source(request) -> Response:
    body = SourceCreateSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    upload = data.pop("file", None)
    try:
        source, created = services.source_add(
            actor=request.user,
            file_name=upload.name if upload else "",
            file_data=upload.read() if upload else None,
            **data,
        )
    except ValidationError as error:
        raise _as_api_error(error) from error
    return Response(
        {"id": source.pk, "title": source.title, "language": source.language, "created": created},
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


__all__ = ["Source", "SuggestionViewSet", "create_source"]
