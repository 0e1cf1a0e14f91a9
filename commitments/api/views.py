"""API views: parse the request, ask `access`, call `services`, answer with the selector's rows.

No rule lives here. Writes check the caller's scope first (403 before anything else), then the
body (400), then the If-Match precondition (412: a malformed body with an empty or stale If-Match
is a 400, as it is without one); the service re-checks it all in one transaction.
"""

from __future__ import annotations

import inspect

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from commitments import access, clock, selectors, services
from commitments.ingestion.serializers import (
    SourceCreatedSerializer,
    SourceCreateSerializer,
    SourceUploadSerializer,
)
from commitments.models import Commitment, Country, Evidence, Source, StatusChange
from commitments.rest.pagination import Key
from commitments.rest.schema import ID_PATTERN
from commitments.rest.views import ApiViewMixin, ReadOnlyRowsViewSet, summaries

from . import filters, serializers, writes
from .conditional import etag, etag_for, expected_version
from .rows import Links, commitment_detail_data, commitment_row_data, links_from

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        'The commitment\'s ETag as last read, e.g. `"12-3"`. If it no longer matches, the answer '
        "is 412 and nothing is saved. Without If-Match the write is accepted (last writer wins)."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description='The commitment\'s version as a strong ETag, `"<id>-<version>"`.',
)


def commitment_post(summary: str, body):
    """A POST action on one commitment, at the path its name gives (`party_positions` at
    `party-positions/`), taking `body`: guarded by If-Match, answered unpaginated and unfiltered
    with the commitment and its new ETag. Its docstring is its description in the schema."""

    def declare(view):
        schema = extend_schema(
            summary=summary,
            description=" ".join(inspect.getdoc(view).split()),
            request=body,
            responses={200: serializers.CommitmentSerializer},
            parameters=[IF_MATCH, ETAG],
            filters=False,
        )
        route = action(
            detail=True,
            methods=["post"],
            url_path=view.__name__.replace("_", "-"),
            pagination_class=None,
            filter_backends=[],
        )
        return schema(route(view))

    return declare


@extend_schema_view(
    list=extend_schema(
        summary="List commitments",
        description=(
            "Filter, search and page. Each item is the commitment without the parties' accounts "
            "(`progress_series`, `party_positions`, `instrument_parties`, `suggested_status`): "
            "their summaries (`progress`, `positions_diverge`, `postponements`, "
            "`original_target_date`, `instrument_type`) are here; the accounts themselves are "
            "in each commitment's `url`."
        ),
        responses=serializers.CommitmentListItemSerializer,
    ),
    retrieve=extend_schema(
        summary="Get a commitment",
        description="The commitment with its parties' accounts.",
        responses=serializers.CommitmentSerializer,
        parameters=[ETAG],
        filters=True,
    ),
    create=extend_schema(
        summary="Create a commitment",
        request=writes.CommitmentCreateSerializer,
        responses={201: serializers.CommitmentSerializer},
        parameters=[ETAG],
    ),
    update=extend_schema(
        summary="Replace a commitment's fields",
        description="Fields left out are reset to empty, except `slug`, which is kept.",
        request=writes.CommitmentUpdateSerializer,
        responses={200: serializers.CommitmentSerializer},
        parameters=[IF_MATCH, ETAG],
    ),
    partial_update=extend_schema(
        summary="Change some of a commitment's fields",
        request=writes.CommitmentUpdateSerializer,
        responses={200: serializers.CommitmentSerializer},
        parameters=[IF_MATCH, ETAG],
    ),
    destroy=extend_schema(
        summary="Delete a commitment (superusers only)",
        parameters=[IF_MATCH],
        responses={204: OpenApiResponse(description="Deleted.")},
    ),
)
class CommitmentViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = serializers.CommitmentSerializer
    lookup_value_regex = ID_PATTERN
    # The list's filters choose which commitments it shows. One commitment is named by its id:
    # its answer takes only `translations` from the query string, and the writes take nothing.
    filtersets = {"list": filters.CommitmentFilter, "retrieve": filters.CommitmentDetailFilter}

    filter_backends = [filters.CommitmentFilterBackend]
    # Only for the schema generator, which reads the model without a request (so without `now`).
    queryset = Commitment.objects.none()

    def initial(self, request, *args, **kwargs):
        # One moment per request, passed to everything that depends on it, so the `stale`
        # filter and each commitment's `is_stale` agree.
        self.now = clock.now()
        super().initial(request, *args, **kwargs)

    @property
    def filterset_class(self):
        return self.filtersets.get(self.action)

    def get_queryset(self):
        return selectors.commitment_api_list(now=self.now)

    def get_keyset(self, request):
        name = request.query_params.get("ordering") or filters.DEFAULT_COMMITMENT_ORDERING
        return name, filters.COMMITMENT_ORDERINGS[name]

    def respond(self, commitment_id: int, status_code: int = 200, rows=None) -> Response:
        """One commitment as the detail shows it, read as the list reads its rows (on
        PostgreSQL the partner codes come with the row), then the parties' accounts."""
        links = self.links()
        language, every = links.language, links.every_language
        if rows is None:
            rows = selectors.commitment_api_rows(language, every_language=every)
        found = list(rows.filter(pk=commitment_id))
        if not found:
            raise NotFound()
        row = selectors.with_api_relations(
            found, now=self.now, language=language, every_language=every
        )[0]
        selectors.with_party_accounts({row["id"]: row})
        data = commitment_detail_data(row, links)
        headers = {"ETag": etag(row["id"], row["version"])}
        if status_code == 201:
            headers["Location"] = data["url"]
        return Response(data, status=status_code, headers=headers)

    def links(self):
        return links_from(self.get_serializer_context())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not hasattr(self, "_links"):
            self._links = Links(self.request)
        context["links"] = self._links
        return context

    def allowed_object(self, may) -> Commitment:
        """The commitment, if the access helper `may` lets the caller act on it (else 403)."""
        commitment = self.get_object()
        may(self.request.user, commitment).require()
        return commitment

    def list(self, request):
        links = self.links()
        language, every = links.language, links.every_language
        rows = selectors.commitment_api_rows(language, every_language=every)
        page = self.paginate_queryset(self.filter_queryset(rows))
        page = selectors.with_api_relations(
            page, now=self.now, language=language, every_language=every
        )
        return self.get_paginated_response([commitment_row_data(row, links) for row in page])

    def retrieve(self, request, pk=None):
        links = self.links()
        rows = selectors.commitment_api_rows(links.language, every_language=links.every_language)
        return self.respond(int(pk), rows=self.filter_queryset(rows))

    def create(self, request):
        access.may_edit_any(request.user).require()
        serializer = writes.CommitmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partners = data.pop("partner_countries", [])
        note = data.pop("note", "")
        if not data.get("slug"):
            data["slug"] = services.unique_slug(data["title"])
        commitment = services.commitment_create(
            actor=request.user, partner_countries=partners, note=note, **data
        )
        return self.respond(commitment.pk, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        commitment = self.allowed_object(access.may_edit)
        serializer = writes.CommitmentUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        version = expected_version(request, commitment)
        data = dict(serializer.validated_data)
        services.commitment_update(
            commitment=commitment,
            actor=request.user,
            data=data,
            expected_version=version,
            target_date_reason=data.pop("target_date_reason", ""),
            target_date_source=data.pop("target_date_source", None),
        )
        return self.respond(commitment.pk)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    def destroy(self, request, pk=None):
        commitment = self.allowed_object(access.may_delete)
        expected_version(request, commitment)
        services.commitment_delete(commitment=commitment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @commitment_post("Change a commitment's status", writes.TransitionSerializer)
    def transitions(self, request, pk=None):
        """Moves the commitment to `status` if the rules allow it, recording the note in its
        history and resetting its staleness clock. A forbidden move is a 400 whose
        `allowed_statuses` lists the moves that are allowed. Answers with the commitment."""
        commitment = self.allowed_object(access.may_change_status)
        serializer = writes.TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = expected_version(request, commitment)
        services.commitment_change_status(
            commitment=commitment,
            new_status=serializer.validated_data["status"],
            note=serializer.validated_data["note"],
            actor=request.user,
            expected_version=version,
        )
        return self.respond(commitment.pk)

    @commitment_post("Record a party country's own position", writes.PartyPositionWriteSerializer)
    def party_positions(self, request, pk=None):
        """The status as that country's government reports it, with its date and source.
        Replaces the country's earlier position; the commitment's `positions_diverge` says
        whether the parties now differ. Staff record only their own country's position."""
        return self.record_for_party(
            request, writes.PartyPositionWriteSerializer, services.party_position_record
        )

    @commitment_post(
        "Record a party's dates on a legal instrument", writes.InstrumentDatesWriteSerializer
    )
    def instrument_dates(self, request, pk=None):
        """Signature, ratification (or approval) and entry into force for one party, with
        evidence. Replaces that party's earlier dates. A status move they suggest appears as
        `suggested_status`; it is never made for you. Staff record only their own country's
        dates."""
        return self.record_for_party(
            request, writes.InstrumentDatesWriteSerializer, services.instrument_dates_record
        )

    def record_for_party(self, request, serializer_class, record) -> Response:
        """A write one party country makes about the commitment: validate, check that the user
        may speak for that country, then record it against the version the client last saw."""
        commitment = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        access.may_record_for_party(request.user, commitment, data["country"].code).require()
        version = expected_version(request, commitment)
        record(commitment=commitment, actor=request.user, expected_version=version, **data)
        return self.respond(commitment.pk)


class CommitmentChildMixin(ApiViewMixin):
    """Lists under /commitments/{commitment_id}/: 404 when the commitment does not exist."""

    def commitment(self) -> Commitment:
        if not hasattr(self, "_commitment"):
            self._commitment = get_object_or_404(
                Commitment.objects.prefetch_related("partner_countries"),
                pk=self.kwargs["commitment_id"],
            )
        return self._commitment


@extend_schema_view(
    list=extend_schema(summary="List a commitment's evidence"),
    create=extend_schema(
        summary="Add evidence to a commitment",
        description=(
            "A quote must occur verbatim in its source's text; a URL must be http or https. "
            "Resets the commitment's staleness clock and bumps its version."
        ),
        request=writes.EvidenceWriteSerializer,
        responses={201: serializers.EvidenceSerializer},
        parameters=[
            IF_MATCH,
            OpenApiParameter(
                "ETag",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=True,
                description="The commitment's new ETag: adding evidence bumps its version.",
            ),
        ],
    ),
)
class CommitmentEvidenceViewSet(
    CommitmentChildMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = serializers.EvidenceSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Evidence.objects.select_related("source").defer("source__text")

    def list(self, request, commitment_id=None):
        commitment = self.commitment()
        queryset = self.get_queryset().filter(commitment=commitment)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, commitment_id=None):
        commitment = self.commitment()
        access.may_add_evidence(request.user, commitment).require()
        serializer = writes.EvidenceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = expected_version(request, commitment)
        evidence = services.evidence_add(
            commitment=commitment,
            actor=request.user,
            expected_version=version,
            **serializer.validated_data,
        )
        evidence = self.get_queryset().get(pk=evidence.pk)
        data = self.get_serializer(evidence).data
        # evidence_add bumped the version on our copy too, so the client can write again at once.
        headers = {"Location": data["api_url"], "ETag": etag_for(commitment)}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)


@extend_schema_view(list=extend_schema(summary="List a commitment's status history"))
class CommitmentHistoryViewSet(
    CommitmentChildMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = serializers.StatusChangeSerializer
    filter_backends: list = []

    def get_queryset(self):
        return StatusChange.objects.select_related("changed_by")

    def list(self, request, commitment_id=None):
        queryset = self.get_queryset().filter(commitment=self.commitment())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@summaries(list="List all evidence", retrieve="Get one piece of evidence")
class EvidenceViewSet(ReadOnlyRowsViewSet):
    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilter
    queryset = Evidence.objects.select_related("source").defer("source__text")


@extend_schema_view(
    list=extend_schema(summary="List sources (without their texts)"),
    retrieve=extend_schema(
        summary="Get a source with its full text", responses=serializers.SourceDetailSerializer
    ),
)
class SourceViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN

    @property
    def parser_classes(self):
        from rest_framework.parsers import MultiPartParser

        from commitments.rest.parsers import JSONParser

        return [JSONParser, MultiPartParser]

    # One content type per operation: a schema listing JSON and multipart for one operation made
    # openapi-python-client's `sources_create` fail to import (NameError: Unset). POST /sources/
    # still takes multipart, as before; the schema names it under /sources/upload/.
    @extend_schema(
        summary="Add a source from pasted text",
        description=(
            "The text is stored as extracted and analysed for suggestions. The same text added "
            "again answers 200 with the existing source. (A file: POST /sources/upload/.)"
        ),
        request={"application/json": SourceCreateSerializer},
        responses={201: SourceCreatedSerializer, 200: SourceCreatedSerializer},
    )
    def create(self, request, *args, **kwargs):
        from commitments.ingestion.api import create_source

        return create_source(request)

    @extend_schema(
        summary="Add a source from a .txt, .html or .pdf file (multipart/form-data)",
        description=(
            "The file's text is extracted (within the limits of characters, pages, time and "
            "memory: past one, 413) and stored as POST /sources/ stores pasted text."
        ),
        request={"multipart/form-data": SourceUploadSerializer},
        responses={201: SourceCreatedSerializer, 200: SourceCreatedSerializer},
    )
    @action(detail=False, methods=["post"], url_path="upload")
    def upload(self, request, *args, **kwargs):
        from commitments.ingestion.api import create_source

        return create_source(request)

    def get_queryset(self):
        if self.action == "list":
            return Source.objects.defer("text")
        return Source.objects.all()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SourceDetailSerializer
        return serializers.SourceSerializer


@summaries(list="List countries", retrieve="Get a country by ISO code")
class CountryViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CountrySerializer
    queryset = Country.objects.all()
    lookup_value_regex = r"[A-Z]{2}"
    keyset = (Key("code"),)

    def get_keyset(self, request):
        return "code", self.keyset


@summaries(list="List status changes of all commitments", retrieve="Get one status change")
class StatusChangeViewSet(ReadOnlyRowsViewSet):
    serializer_class = serializers.StatusChangeSerializer
    filterset_class = filters.StatusChangeFilter
    queryset = StatusChange.objects.select_related("changed_by")
