"""The views every part of the API builds on: its caching rule, keyset pages, read-only rows, the
schema's summaries, and the problem-details 404 for any other path."""

from __future__ import annotations

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .pagination import Key, KeysetPagination
from .schema import ID_PATTERN


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing a filter given with an empty value (`?kind=`), which
    django-filter reads as no filter: a client that meant one got every row. Leave the parameter
    out for no filter. A free-text `search` left empty is the exception, as on the public list:
    an empty search box finds everything."""

    empty_allowed = frozenset({"search"})

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = sorted(
                name
                for name in filterset_class.base_filters
                if name in request.query_params
                and name not in self.empty_allowed
                and any(value.strip() == "" for value in request.query_params.getlist(name))
            )
            if empty:
                message = _("Empty value: give one, or leave the parameter out for no filter.")
                raise ValidationError({name: [message] for name in empty})
        return super().filter_queryset(request, queryset, view)


class ApiViewMixin:
    filter_backends = [StrictFilterBackend]
    pagination_class = KeysetPagination
    keyset: tuple[Key, ...] = (Key("id"),)

    def get_keyset(self, request):
        return "id", self.keyset

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Every answer here is for one caller's credentials: no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
        return response


# The filters choose which rows the list shows; one row, named by its id, takes none of them
# (DRF's get_object would otherwise answer 404 or 400 for a row that exists). No docstring:
# drf-spectacular would make it the description of every operation of the views using this.
class ListFiltersMixin:
    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


# One kind of row, read-only: the filtered, keyset-paginated list and each row by its id. (No
# docstring, for the reason above.)
class ReadOnlyRowsViewSet(ListFiltersMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN


def summaries(**summary_by_action: str):
    """The schema's one-line summary of each of a viewset's actions, by action name."""
    return extend_schema_view(
        **{name: extend_schema(summary=summary) for name, summary in summary_by_action.items()}
    )


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under /api/v1/: a problem-details 404 instead of Django's HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        detail = _("Not found.")
        if not request.path.endswith("/"):
            try:
                match = resolve(request.path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NotFoundView:
                detail = _("Not found. Did you mean %(path)s/ (with a trailing slash)?") % {
                    "path": request.path
                }
        raise NotFound(detail)
