"""The commitment list served two other ways, as yardsticks for the benchmark.

- `PlainCommitmentViewSet`: what most projects would write with DRF: a `ModelViewSet`, nested
  `ModelSerializer`s for the owner, partners and evidence (with sources), django-filter on status
  and owner country, the default `PageNumberPagination`, and the `select_related` /
  `prefetch_related` any reviewer would ask for (so it is not a strawman with N+1 queries).
- `bare_list`: the floor of the stack for the same list: one token check, then `.values()` for
  the page of commitments, their partner codes and their evidence (with source titles), grouped
  in a few lines of Python and returned with `JsonResponse`. No DRF, no filterset, no paginator.
- `bare_flat_list`: the commitments' own columns only (one `.values()` query), to show what the
  nested partners and evidence cost; it is reported but no target refers to it.

All of them authenticate the token as the API does (one query), so the comparison measures the
list, not authentication. They are mounted under /bench/ only when BENCHMARK_REFERENCE_VIEWS is on.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.pagination import PageNumberPagination

from commitments.models import Commitment, Country, Evidence, Source
from commitments.rest.authentication import ApiTokenAuthentication

PAGE_SIZE = 50
# What both references serve of each commitment and of its evidence, in their own shapes: the
# plain serializers nest the owner and the source, the bare list reads their keys (and the source's
# title). The set is the references' own and stays fixed, so that runs stay comparable.
FIELDS = (
    "id",
    "slug",
    "title",
    "description",
    "owner_country",
    "category",
    "status",
    "target_date",
    "target_amount",
    "target_unit",
    "last_reviewed_at",
    "updated_at",
)
EVIDENCE_FIELDS = ("id", "source", "quote", "url", "note", "observed_on")
BARE_FIELDS = tuple(Commitment._meta.get_field(name).attname for name in FIELDS)
BARE_EVIDENCE_FIELDS = (
    "commitment_id",
    *(Evidence._meta.get_field(name).attname for name in EVIDENCE_FIELDS),
    "source__title",
)


class PlainCountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class PlainSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "publisher", "published_on", "url"]


class PlainEvidenceSerializer(serializers.ModelSerializer):
    source = PlainSourceSerializer(read_only=True)

    class Meta:
        model = Evidence
        fields = EVIDENCE_FIELDS


class PlainCommitmentSerializer(serializers.ModelSerializer):
    owner_country = PlainCountrySerializer(read_only=True)
    partner_countries = PlainCountrySerializer(many=True, read_only=True)
    evidence = PlainEvidenceSerializer(many=True, read_only=True)
    is_stale = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [*FIELDS, "partner_countries", "is_stale", "evidence"]

    def get_is_stale(self, obj: Commitment) -> bool:
        return obj.is_stale()


class PlainPagination(PageNumberPagination):
    page_size = PAGE_SIZE


class PlainCommitmentViewSet(viewsets.ModelViewSet):
    # DRF's stock choices, stated here because the project's defaults are the API's own.
    pagination_class = PlainPagination
    filter_backends = [DjangoFilterBackend]
    queryset = Commitment.objects.select_related("owner_country").prefetch_related(
        "partner_countries", "evidence__source"
    )
    serializer_class = PlainCommitmentSerializer
    filterset_fields = ["status", "owner_country"]
    http_method_names = ["get", "head", "options"]


def _token_user(request: HttpRequest):
    keyword, _, key = request.headers.get("Authorization", "").partition(" ")
    if keyword != "Token" or not key:
        return None
    try:  # the API's own check, so the references pay what our views pay
        user, _ = ApiTokenAuthentication().authenticate_credentials(key)
    except AuthenticationFailed:
        return None
    return user


def _filtered(request: HttpRequest):
    queryset = Commitment.objects.order_by("-updated_at", "-id")
    if status := request.GET.get("status"):
        queryset = queryset.filter(status=status)
    if owner := request.GET.get("owner_country"):
        queryset = queryset.filter(owner_country_id=owner)
    return queryset


def _unauthenticated() -> JsonResponse:
    return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)


def bare_list(request: HttpRequest) -> JsonResponse:
    if _token_user(request) is None:
        return _unauthenticated()
    rows = list(_filtered(request).values(*BARE_FIELDS)[:PAGE_SIZE])
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["partner_countries"], row["evidence"] = [], []
    partners = Commitment.partner_countries.through.objects.filter(commitment_id__in=by_id)
    for commitment_id, code in partners.values_list("commitment_id", "country_id"):
        by_id[commitment_id]["partner_countries"].append(code)
    evidence = Evidence.objects.filter(commitment_id__in=by_id).order_by("observed_on", "id")
    for item in evidence.values(*BARE_EVIDENCE_FIELDS):
        by_id[item["commitment_id"]]["evidence"].append(item)
    return JsonResponse({"results": rows})


def bare_flat_list(request: HttpRequest) -> JsonResponse:
    if _token_user(request) is None:
        return _unauthenticated()
    return JsonResponse({"results": list(_filtered(request).values(*BARE_FIELDS)[:PAGE_SIZE])})
