"""Keyset ("cursor") pagination: no COUNT, no OFFSET, one indexed range scan per page.

A page is `ORDER BY <keys> LIMIT page_size + 1` after the position of the previous page's last row,
so page 1,000 costs what page 1 costs. The cursor is an opaque token holding that row's key values
and the ordering it belongs to. Pages go forward only (`next`); a client that wants to start again
drops the cursor. `page_size` above the maximum is refused with a 400, not silently clamped.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Key:
    """One ordering column; the last key of an ordering must be unique (the primary key)."""

    field: str
    descending: bool = False
    nullable: bool = False

    def order_by(self):
        if not self.nullable:
            return f"-{self.field}" if self.descending else self.field
        # NULL sorts as the largest value in both directions, so one index serves both.
        if self.descending:
            return F(self.field).desc(nulls_first=True)
        return F(self.field).asc(nulls_last=True)

    def strictly_after(self, value) -> Q | None:
        f = self.field
        if value is None:  # NULL is the largest value
            return Q(**{f"{f}__isnull": False}) if self.descending else None
        if self.descending:
            return Q(**{f"{f}__lt": value})
        after = Q(**{f"{f}__gt": value})
        return after | Q(**{f"{f}__isnull": True}) if self.nullable else after

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.field}__isnull": True})
        return Q(**{self.field: value})


def _after(keys: tuple[Key, ...], values: list) -> Q:
    """Rows strictly after `values` in the lexicographic order of `keys`."""
    key, value = keys[0], values[0]
    strictly = key.strictly_after(value)
    if len(keys) == 1:
        return strictly if strictly is not None else Q(pk__in=[])
    rest = key.equal(value) & _after(keys[1:], values[1:])
    return rest | strictly if strictly is not None else rest


def _leading_range(key: Key, value) -> Q:
    """A redundant bound on the first key that lets the database range-scan its index."""
    if key.nullable or value is None:
        return Q()
    return Q(**{f"{key.field}__lte" if key.descending else f"{key.field}__gte": value})


def _encode_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class KeysetPagination(BasePagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self.get_page_size(request)
        name, keys = view.get_keyset(request)
        self.ordering_name, self.keys = name, keys
        queryset = queryset.order_by(*(key.order_by() for key in keys))
        position = self.decode_cursor(request, queryset.model, name, keys)
        if position is not None:
            queryset = queryset.filter(_leading_range(keys[0], position[0]), _after(keys, position))
        rows = list(queryset[: self.size + 1])
        self.has_next = len(rows) > self.size
        rows = rows[: self.size]
        self.last = rows[-1] if rows else None
        return rows

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _(
                            "Give a whole number from 1 to %(max)d (the maximum page size); "
                            "got “%(raw)s”."
                        )
                        % {"max": self.max_page_size, "raw": raw[:40]}
                    ]
                }
            )
        return int(raw)

    def decode_cursor(self, request, model, name: str, keys: tuple[Key, ...]):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:  # left out or empty (`?cursor=`): the first page
            return None
        invalid = ValidationError(
            {
                self.cursor_query_param: [
                    _("Invalid cursor: use the `next` link of a previous page.")
                ]
            }
        )
        try:
            padded = raw + "=" * (-len(raw) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, UnicodeError, binascii.Error):
            raise invalid from None
        if (
            not isinstance(payload, dict)
            or payload.get("o") != name
            or not isinstance(payload.get("v"), list)
            or len(payload["v"]) != len(keys)
        ):
            raise invalid
        values = []
        for key, value in zip(keys, payload["v"], strict=True):
            if value is None and (key.nullable is False):
                raise invalid
            if value is None:
                values.append(None)
                continue
            try:
                value = model._meta.get_field(key.field).to_python(value)
                if isinstance(value, int) and not -(2**63) < value < 2**63:
                    raise ValueError("out of range")
                if isinstance(value, datetime):
                    if value.tzinfo is None:
                        raise ValueError("naive")
                    value = value.astimezone(UTC)  # unrepresentable datetimes raise here
                values.append(value)
            except (DjangoValidationError, FieldDoesNotExist, TypeError, ValueError, OverflowError):
                raise invalid from None
        return values

    def encode_cursor(self) -> str:
        last = self.last
        get = last.__getitem__ if isinstance(last, dict) else last.__getattribute__
        values = [_encode_value(get(key.field)) for key in self.keys]
        payload = json.dumps({"o": self.ordering_name, "v": values}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        params = self.request.query_params.copy()
        params[self.cursor_query_param] = self.encode_cursor()
        path = self.request.build_absolute_uri(self.request.path)
        return f"{path}?{urlencode(params, doseq=True)}"

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Opaque position from a previous page's `next` link; empty or left out "
                    "for the first page."
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}); "
                    "a larger value is a 400."
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]
