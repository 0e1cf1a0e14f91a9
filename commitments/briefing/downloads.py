"""A briefing's file as an HTTP answer, the same from admin and the API: a briefing built at once,
or the file a queued request kept."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from . import services
from .models import BriefingRequest
from .render import CONTENT_TYPES


def ready_response(ready: services.Ready) -> HttpResponse:
    return HttpResponse(
        ready.data,
        content_type=ready.content_type,
        headers={"Content-Disposition": content_disposition_header(True, ready.filename)},
    )


def kept_file_response(request: BriefingRequest) -> FileResponse:
    """The kept file of a request that `has_file`."""
    return FileResponse(
        request.file.open("rb"),
        as_attachment=True,
        filename=request.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES.get(request.format, "application/octet-stream"),
    )
