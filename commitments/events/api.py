"""API edges of the events: the change feed and webhook endpoint registration.

`GET /api/v1/events/?after=<cursor>` pages the outbox in commit order (selectors.visible_events):
a client stores the `next` link (always present, also on the last page) and polls it.
`/api/v1/webhooks/` lets a caller with the `commitments.add_webhookendpoint` permission register
endpoints; each caller sees and removes only their own (a superuser, all).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commitments import messages
from commitments.models import Country
from commitments.rest.pagination import Key, KeysetPagination
from commitments.rest.serializers import refuse_undeclared
from commitments.rest.views import ApiViewMixin

from . import safety
from .models import EventType, WebhookEndpoint
from .selectors import event_payload, filtered, owned, visible_events

_CODE = re.compile(r"[A-Z]{2}")
FEED_KEYS = (Key("xid"), Key("id"))


def _listed(request, name: str) -> list[str]:
    """`?type=a&type=b` and `?type=a,b` alike."""
    return [v.strip() for raw in request.query_params.getlist(name) for v in raw.split(",") if v]


class EventFeedPagination(KeysetPagination):
    cursor_query_param = "after"

    def get_next_link(self) -> str | None:
        # A feed has no last page: with no new events the link repeats the cursor given.
        if self.last is None:
            return self.request.build_absolute_uri()
        params = self.request.query_params.copy()
        params[self.cursor_query_param] = self.encode_cursor()
        path = self.request.build_absolute_uri(self.request.path)
        return f"{path}?{urlencode(params, doseq=True)}"

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "has_more": self.has_next, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "has_more", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "description": "Poll this for the events after this page (always present).",
                },
                "has_more": {
                    "type": "boolean",
                    "description": "More events are waiting now: fetch `next` at once.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters[0]["description"] = (
            "Opaque position from a previous page's `next` link; left out for the oldest events."
        )
        return parameters


class EventSerializer(serializers.Serializer):
    """Schema only: rows are built by selectors.event_payload, the same as webhook bodies."""

    id = serializers.UUIDField(help_text="Stable; the webhook's idempotency key.")
    type = serializers.ChoiceField(choices=EventType.choices)
    occurred_at = serializers.DateTimeField()
    commitment = serializers.DictField(
        help_text="`id`, `slug`, `owner_country`, `partner_countries` and the new `version`."
    )
    actor = serializers.DictField(
        help_text="`{type: user, id, username}` or `{type: system, name}`."
    )
    data = serializers.DictField(
        help_text=(
            "Per type: `changed_fields`; `old_status`, `new_status`, `note`; `evidence_id`; "
            "`observation_id` and its figure; `review_id`; empty for a deletion."
        )
    )


@extend_schema_view(
    get=extend_schema(
        summary="The change feed: every committed change, in commit order",
        parameters=[
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                description="Only these event types (repeat or comma-separate).",
                enum=EventType.values,
                many=True,
                explode=True,
            ),
            OpenApiParameter(
                "country",
                OpenApiTypes.STR,
                description="Only commitments owned by or partnered with these countries.",
                many=True,
                explode=True,
                pattern="^[A-Z]{2}$",
            ),
        ],
    )
)
class EventFeedView(ApiViewMixin, generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = EventFeedPagination
    filter_backends: list = []
    keyset = FEED_KEYS

    def get_keyset(self, request):
        return "feed", self.keyset

    def list(self, request, *args, **kwargs):
        types, countries = _listed(request, "type"), _listed(request, "country")
        errors = {}
        bad_types = [t for t in types if t not in EventType.values]
        if bad_types:
            errors["type"] = [
                messages.UNKNOWN_TYPE % {"value": t[:60], "types": ", ".join(EventType.values)}
                for t in bad_types
            ]
        bad_countries = [c for c in countries if not _CODE.fullmatch(c)]
        if bad_countries:
            errors["country"] = [messages.BAD_COUNTRY % {"value": c[:20]} for c in bad_countries]
        if errors:
            raise ValidationError(errors)
        events = filtered(visible_events(), types=types, countries=countries)
        page = self.paginate_queryset(events)
        return self.get_paginated_response([event_payload(event) for event in page])


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        required=False,
        max_length=len(EventType.values),
        help_text="Empty or left out: every type.",
    )
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        max_length=50,
        help_text="ISO codes; empty or left out: every country.",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        min_length=16,
        max_length=200,
        help_text="Left out: one is generated and returned once, in the creation's answer.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "countries",
            "secret",
            "is_active",
            "disabled_reason",
            "consecutive_failures",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "is_active",
            "disabled_reason",
            "consecutive_failures",
            "created_at",
        ]

    def to_internal_value(self, data):
        # As the schema promises (additionalProperties: false): a misspelt `event_types` or
        # `countries` would otherwise register an endpoint that receives every event.
        refuse_undeclared(self, data)
        return super().to_internal_value(data)

    def validate_url(self, url: str) -> str:
        try:
            safety.resolve(url)
        except safety.UnsafeTarget as exc:
            raise serializers.ValidationError(str(exc)) from None
        return url

    def validate_countries(self, codes: list[str]) -> list[str]:
        codes = sorted(set(codes))
        bad = [c for c in codes if not _CODE.fullmatch(c)]
        known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known and c not in bad]
        if bad or unknown:
            raise serializers.ValidationError(
                [str(messages.BAD_COUNTRY % {"value": c}) for c in bad]
                + [str(_("Unknown country “%(code)s”.") % {"code": c}) for c in unknown]
            )
        return codes

    def validate_event_types(self, types: list[str]) -> list[str]:
        return sorted(set(types))


class WebhookCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown this once.")


class WebhookPermission(permissions.BasePermission):
    """Registering needs `commitments.add_webhookendpoint`; removing, the delete permission."""

    def has_permission(self, request, view):
        if request.method == "POST":
            return request.user.has_perm("commitments.add_webhookendpoint")
        if request.method == "DELETE":
            return request.user.has_perm("commitments.delete_webhookendpoint")
        return True


@extend_schema_view(
    list=extend_schema(summary="List your webhook endpoints"),
    retrieve=extend_schema(summary="Get one of your webhook endpoints"),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "Needs the `commitments.add_webhookendpoint` permission. The URL must be https and "
            "resolve to public addresses in production. The answer carries the secret, once."
        ),
        responses={201: WebhookCreatedSerializer},
    ),
    destroy=extend_schema(summary="Remove one of your webhook endpoints"),
)
class WebhookEndpointViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WebhookEndpointSerializer
    permission_classes = [permissions.IsAuthenticated, WebhookPermission]
    filter_backends: list = []
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return owned(WebhookEndpoint.objects.all(), self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = serializer.save(owner=request.user)
        return Response(WebhookCreatedSerializer(endpoint).data, status=201)
