"""The admin's data package import: upload, read the dry run's plan, apply exactly that plan.

The upload is counted as it arrives and dropped past the limit (nothing past it is kept). The file
of a dry run waits in a folder of its own under a random token, which only the session of the
user who uploaded it knows; "Apply" imports that file again through the same procedure, with the
dry run's fingerprint: if the record changed meanwhile and the plan is no longer the one shown,
nothing is saved and the new plan is shown instead. Staff with the right to change commitments
may import; the services scope each row to their countries, as every edit is.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import clock, messages
from ..formatting import format_size
from . import importing
from .reading import Limits, PackageRefused, Problem

SESSION_KEY = "opendata_import"
# Uploaded packages waiting for their "Apply" are removed after this long.
KEEP_SECONDS = 24 * 3600


class ImportForm(forms.Form):
    package = forms.FileField(
        label=_("Data package"),
        help_text=_(
            "The .zip the record's “Download data” gives (or another record's), or one of its "
            "CSV tables under its own name (commitments.csv). Nothing is saved before you apply."
        ),
    )


class _LimitedUpload(FileUploadHandler):
    """Counts the upload as it arrives and stops it past the limit: nothing past the limit is
    kept, in memory or on disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.opendata_upload_too_large = self.file_name or "?"
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "opendata-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    limit = clock.now().timestamp() - KEEP_SECONDS
    for stale in _folder().glob("*.zip"):
        if stale.stat().st_mtime < limit:
            stale.unlink(missing_ok=True)


def _may_import(request) -> None:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("commitments.change_commitment")):
        raise PermissionDenied


def _page(request, *, form, plan=None, problems=(), token="", status=200):
    context = {
        **admin.site.each_context(request),
        "title": _("Import a data package"),
        "form": form,
        "plan": plan,
        "lines": _lines(plan) if plan is not None else None,
        "problems": [str(p) for p in problems],
        "token": token,
        "changelist": reverse("admin:commitments_commitment_changelist"),
        "cannot_read": messages.IMPORT_PACKAGE_REFUSED,
        "nothing_to_do": messages.IMPORT_NOTHING_TO_DO,
    }
    return TemplateResponse(request, "admin/opendata/import.html", context, status=status)


def _lines(plan: importing.Plan) -> dict:
    def of(action: str) -> list[str]:
        return [line for row in plan.of(action) for line in importing.describe_row(row)]

    return {
        "counts": [importing.describe_counts(file, n) for file, n in plan.counts()],
        "created": of(importing.CREATE),
        "changed": of(importing.CHANGE),
        "refused": of(importing.REFUSED),
    }


def _upload(request):
    too_large = getattr(request, "opendata_upload_too_large", "")
    if too_large:
        limit = settings.OPENDATA_IMPORT_MAX_UPLOAD_BYTES
        reason = format_lazy(messages.IMPORT_TOO_LARGE, limit=format_size(limit / 1024 / 1024))
        return _page(request, form=ImportForm(), problems=[Problem(too_large, reason)], status=413)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = request.FILES["package"]
    try:
        data = upload.read(settings.OPENDATA_IMPORT_MAX_UPLOAD_BYTES + 1)
        package = importing.read_package(
            io.BytesIO(data),
            upload.name,
            importing.expected_files(),
            Limits.from_settings(),
            importing.optional_columns(),
        )
    except PackageRefused as refused:
        return _page(request, form=ImportForm(), problems=refused.problems, status=400)
    plan = importing.run_import(package, request.user, apply=False)
    token = ""
    if plan.changes_anything and not plan.refused:
        _forget_old_uploads()
        token = secrets.token_urlsafe(24)
        (_folder() / f"{token}.zip").write_bytes(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "name": upload.name,
            "user": request.user.pk,
            "fingerprint": plan.fingerprint(),
        }
    return _page(request, form=ImportForm(), plan=plan, token=token)


def _apply(request):
    waiting = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    path = _folder() / f"{waiting.get('token', '')}.zip"
    if (
        not token
        or not secrets.compare_digest(token, waiting.get("token", ""))
        or waiting.get("user") != request.user.pk
        or not path.is_file()
    ):
        flash.error(request, messages.IMPORT_UPLOAD_AGAIN)
        return redirect("opendata_import")
    with path.open("rb") as stream:
        plan = importing.import_package(
            stream,
            waiting["name"],
            request.user,
            apply=True,
            expected=waiting["fingerprint"],
        )
    if plan.applied:
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        flash.success(request, messages.IMPORT_APPLIED)
        return redirect("admin:commitments_commitment_changelist")
    # The record changed since the dry run: nothing was saved; the plan as it now stands.
    waiting["fingerprint"] = plan.fingerprint()
    request.session[SESSION_KEY] = waiting
    flash.warning(request, messages.IMPORT_PLAN_CHANGED)
    keep = token if plan.changes_anything and not plan.refused else ""
    return _page(request, form=ImportForm(), plan=plan, token=keep)


@csrf_exempt  # checked below, once the upload handlers are in place
def import_view(request):
    _may_import(request)
    if request.method == "POST":
        request.upload_handlers.insert(
            0, _LimitedUpload(request, settings.OPENDATA_IMPORT_MAX_UPLOAD_BYTES)
        )
    return csrf_protect(_import_view)(request)


def _import_view(request):
    if request.method != "POST":
        return _page(request, form=ImportForm())
    if "apply" in request.POST:
        return _apply(request)
    return _upload(request)


urlpatterns = [path("", admin.site.admin_view(import_view), name="opendata_import")]
