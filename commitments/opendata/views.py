"""Serving the published package: the download (public site and API alike) and the data page.

A download reads `current.json`, asks the database for the record's last change, and hands the
file to the web server (FileResponse); a conditional GET with the package's ETag or date gets
304 and no body. The routes live at the top (`tracker/urls.py`, `api_urls.py`), which wrap the
public ones in the public pages' closed-site switch.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import packages, schema

FILENAME = f"{schema.PACKAGE_NAME}.zip"


def package_response(request: HttpRequest, *, private: bool = False) -> HttpResponse:
    """The package's file, or 304. `private`: for one caller's credentials (the API)."""
    built, handle = packages.for_download()
    etag = f'"{built.etag}"'
    last_modified = built.last_modified
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is not None:
        handle.close()
    if response is None:
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=FILENAME,
            content_type="application/zip",
        )
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    # Any cache may keep it, asking each time whether it changed (a 304 costs nothing); a
    # closed site's copy, or the API's, is for the reader who signed in only.
    private = private or settings.PUBLIC_PAGES_REQUIRE_LOGIN
    response["Cache-Control"] = "private, no-cache" if private else "no-cache"
    return response


def download(request: HttpRequest) -> HttpResponse:
    """GET /data/datapackage.zip: the whole public record as a Frictionless Data Package."""
    return package_response(request)


def data_page(request: HttpRequest) -> HttpResponse:
    """GET /data/: what the package holds, its licence and where to download it."""
    built = packages.current()
    return render(
        request,
        "opendata/data.html",
        {
            "built": built,
            "resources": schema.RESOURCES,
            "license": schema.LICENSE,
            "descriptor_name": schema.DESCRIPTOR,
        },
    )
