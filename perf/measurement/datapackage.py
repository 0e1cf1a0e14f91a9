"""Measure the open data package: building it from the whole record, then serving it built.

The build is what a rebuild task does after a change (`packages.build`): every table streamed
into the zip. Serving is what a download costs once the file exists: the view reads the pointer,
asks the record's last change and hands the file over, or answers 304 to a conditional GET.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, Evidence, StatusChange
from commitments.opendata import packages, views

REQUESTS = 50


@dataclass(frozen=True)
class DataPackageMeasurement:
    commitments: int
    evidence: int
    status_changes: int
    build_seconds: float
    build_queries: int
    package_bytes: int
    serve_median_ms: float
    serve_queries: int
    not_modified_median_ms: float

    def as_dict(self) -> dict:
        return asdict(self)


def _release(response) -> None:
    """Close the served file without `response.close()`, whose request_finished signal would
    close the database connection as at the end of a real request."""
    handle = getattr(response, "file_to_stream", None)
    if handle is not None:
        handle.close()


def _timed_requests(headers: dict[str, str]) -> tuple[float, int, int]:
    """Median milliseconds of REQUESTS downloads, the queries of one, and its status."""
    factory = RequestFactory()
    times = []
    status = 0
    for _ in range(REQUESTS):
        request = factory.get("/data/datapackage.zip", headers=headers)
        started = time.perf_counter()
        response = views.package_response(request)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        _release(response)
    with CaptureQueriesContext(connection) as queries:
        _release(views.package_response(factory.get("/data/datapackage.zip", headers=headers)))
    return statistics.median(times), len(queries), status


def measure_datapackage(folder: Path | None = None) -> DataPackageMeasurement:
    with tempfile.TemporaryDirectory() as scratch:
        root = folder or Path(scratch)
        with override_settings(OPENDATA_ROOT=root, OPENDATA_REBUILD_ON_CHANGE=False):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                built = packages.build()
                build_seconds = time.perf_counter() - started
            serve_ms, serve_queries, served = _timed_requests({})
            etag = {"If-None-Match": f'"{built.etag}"'}
            not_modified_ms, _, unchanged = _timed_requests(etag)
    if (served, unchanged) != (200, 304):
        raise RuntimeError(f"expected 200 and 304, got {served} and {unchanged}")
    return DataPackageMeasurement(
        commitments=Commitment.objects.count(),
        evidence=Evidence.objects.count(),
        status_changes=StatusChange.objects.count(),
        build_seconds=round(build_seconds, 2),
        build_queries=len(queries),
        package_bytes=built.size,
        serve_median_ms=round(serve_ms, 2),
        serve_queries=serve_queries,
        not_modified_median_ms=round(not_modified_ms, 2),
    )
