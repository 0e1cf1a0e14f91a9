"""The package builder: the record's tables as CSV files and datapackage.json, in one zip.

The same record gives the same bytes: rows in the order of their exported keys, one spelling per
value (`schema`), no clock anywhere (the descriptor's `last_modified` and every zip entry's time
are the record's last change). It reads each table with one query streamed through
`.iterator()`, so the number of queries does not grow with the record and memory stays flat
(partner countries, a many-to-many relation, take one more query for the whole table).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet

from ..events.models import Event
from ..models import Commitment, Source
from . import schema
from .schema import Resource

CHUNK_SIZE = 2000
# The zip format counts time from 1980; a record cannot be older, but an empty one has no time.
_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_PERMISSIONS = 0o644 << 16  # every entry a plain readable file, whoever builds it


def record_last_modified() -> dt.datetime | None:
    """The record's last change: a commitment changed (any of its rows: the services bump it),
    a source added, or a change the outbox recorded (a commitment deleted). Three indexed
    aggregates, whatever the record's size."""
    times = [
        Commitment.objects.order_by().aggregate(m=Max("updated_at"))["m"],
        Source.objects.order_by().aggregate(m=Max("created_at"))["m"],
        Event.objects.order_by().aggregate(m=Max("occurred_at"))["m"],
    ]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def rows(resource: Resource, queryset: QuerySet | None = None) -> Iterator[list[str]]:
    """The CSV rows (no header) of `resource`, for `queryset` (default: every row of its model),
    in the resource's order."""
    queryset = resource.model._default_manager.all() if queryset is None else queryset
    many = resource.many_columns
    related: dict[str, dict[Any, list[str]]] = {c.path: _many_keys(queryset, c.path) for c in many}
    paths = resource.value_paths + (("pk",) if many else ())
    values = queryset.order_by(*resource.order_by).values(*paths)
    for row in values.iterator(chunk_size=CHUNK_SIZE):
        for column in many:
            row[column.path] = related[column.path].get(row["pk"], ())
        yield resource.to_texts(row)


def _many_keys(queryset: QuerySet, name: str) -> dict[Any, list[str]]:
    """{row pk: [related keys]} of the many-to-many field `name`, for the rows of `queryset`."""
    relation = queryset.model._meta.get_field(name)
    through = relation.remote_field.through
    own = relation.m2m_field_name()
    other = relation.m2m_reverse_field_name()
    links = through.objects.order_by()
    if queryset.query.where:  # a selection (the admin's): only its rows' links
        links = links.filter(**{f"{own}__in": queryset.order_by().values("pk")})
    keys: dict[Any, list[str]] = {}
    for pk, key in links.values_list(f"{own}_id", f"{other}_id").iterator(chunk_size=CHUNK_SIZE):
        keys.setdefault(pk, []).append(key)
    return keys


def write_csv(resource: Resource, stream: IO[str], queryset: QuerySet | None = None) -> int:
    """Write `resource` as RFC 4180 CSV (header = the schema's column names, CRLF line ends) to a
    text stream; returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(resource.header)
    count = 0
    for row in rows(resource, queryset):
        writer.writerow(row)
        count += 1
    return count


def _entry(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = _PERMISSIONS
    info.create_system = 3  # Unix, whatever system builds it
    return info


@contextmanager
def _snapshot():
    """One consistent view of the record for every table: on PostgreSQL a read-only
    repeatable-read transaction (each query would otherwise see the commits made since the
    previous one); SQLite's transaction already is one."""
    if connection.in_atomic_block:  # a caller's transaction (tests): it decides
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def write_package(target: IO[bytes], resources: Iterable[Resource] = schema.RESOURCES) -> dict:
    """Write the package as a zip to a binary file object; returns its descriptor."""
    resources = tuple(resources)
    with _snapshot():
        last_modified = record_last_modified()
        descriptor = schema.package_descriptor(last_modified, resources)
        when = max(last_modified or _EARLIEST, _EARLIEST).astimezone(dt.UTC)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
            archive.writestr(_entry(schema.DESCRIPTOR, when), text.encode("utf-8"))
            for resource in resources:
                with archive.open(_entry(resource.path, when), "w", force_zip64=True) as raw:
                    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    write_csv(resource, stream)
                    stream.flush()
                    stream.detach()
    return descriptor
