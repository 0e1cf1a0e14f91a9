"""Asking for a briefing: answered at once when small, queued for the Celery task when large; the
same inputs on the same record reuse the file already built.

Every edge (admin, API, command) comes here; bad input raises `BadBriefing` before anything is
saved.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from .. import access, clock
from . import content, render
from .models import BriefingRequest

logger = logging.getLogger(__name__)

# Progress is written about this many times in a build, whatever its size.
PROGRESS_STEPS = 20


@dataclass
class Ready:
    """A briefing built at once: its bytes, name and content type."""

    data: bytes
    filename: str
    content_type: str


def direct_limit() -> int:
    return settings.BRIEFING_DIRECT_MAX_ITEMS


def file_stem(scope: content.Scope) -> str:
    if scope.meeting:
        return scope.meeting
    if scope.country:
        return scope.country.upper()
    return "selection"


def fingerprint(
    scope: content.Scope, *, language: str, fmt: str, since: date | None, user=None
) -> str:
    """What makes two briefings the same: their inputs, whose countries they are scoped to, and
    the record's last change (a later change makes a new briefing)."""
    as_of = content.record_as_of()
    countries = None
    if user is not None:
        everything = bool(access.may_edit_any(user))
        countries = "*" if everything else sorted(access.country_codes_of(user))
    inputs = {
        "scope": scope.key(),
        "language": language,
        "format": fmt,
        "since": since.isoformat() if since else "",
        "countries": countries,
        "as_of": as_of.isoformat() if as_of else "",
        "version": settings.BRIEFING_TEMPLATE_VERSION,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def build_file(
    scope: content.Scope,
    *,
    language: str,
    fmt: str,
    since: date | None = None,
    user=None,
    on_progress=None,
) -> Ready:
    """Build the document now, whatever its size (the command and the task)."""
    content.check_inputs(scope, language, fmt)
    briefing = content.build(
        scope, language=language, since=since, user=user, on_progress=on_progress
    )
    return Ready(
        render.render(briefing, fmt),
        render.filename(briefing, fmt, file_stem(scope)),
        render.CONTENT_TYPES[fmt],
    )


def request_briefing(
    scope: content.Scope,
    *,
    language: str,
    fmt: str,
    since: date | None = None,
    user=None,
    scoped: bool = False,
) -> Ready | BriefingRequest:
    """The document itself for a small scope; for a large one, the request that builds it (a new
    one queued, or the one already asked for with the same inputs)."""
    content.check_inputs(scope, language, fmt)
    scope_user = user if scoped else None
    size = content.scope_size(scope, user=scope_user)
    if size <= direct_limit():
        return build_file(scope, language=language, fmt=fmt, since=since, user=scope_user)
    key = fingerprint(scope, language=language, fmt=fmt, since=since, user=scope_user)
    existing = (
        BriefingRequest.objects.filter(fingerprint=key)
        .exclude(state=BriefingRequest.State.FAILED)
        .order_by("-id")
        .first()
    )
    if existing is not None:
        return existing
    with transaction.atomic():
        request = BriefingRequest.objects.create(
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            scoped=scoped,
            meeting_key=scope.meeting,
            country_code=scope.country.upper(),
            commitment_ids=list(scope.ids),
            since=since,
            language=language,
            format=fmt,
            fingerprint=key,
            total=size,
        )
        transaction.on_commit(lambda: _enqueue(request.pk))
    return request


def _enqueue(request_id: int) -> None:
    # By the task's name: the task's module imports this one, never the other way round.
    current_app.signature("commitments.briefing.build", args=(request_id,)).apply_async()


def run_request(request_id: int) -> BriefingRequest:
    """Build a queued request's file, writing its progress as it goes (the task's body)."""
    request = BriefingRequest.objects.select_related("requested_by").get(pk=request_id)
    if request.has_file:
        return request
    BriefingRequest.objects.filter(pk=request.pk).update(state=BriefingRequest.State.RUNNING)
    scope = content.Scope(
        meeting=request.meeting_key,
        country=request.country_code,
        ids=tuple(request.commitment_ids),
    )
    last_written = {"done": 0}

    def on_progress(done: int, total: int) -> None:
        step = max(1, total // PROGRESS_STEPS)
        if done == total or done - last_written["done"] >= step:
            BriefingRequest.objects.filter(pk=request.pk).update(done=done, total=total)
            last_written["done"] = done

    try:
        ready = build_file(
            scope,
            language=request.language,
            fmt=request.format,
            since=request.since,
            user=request.requested_by if request.scoped else None,
            on_progress=on_progress,
        )
    except Exception as exc:
        logger.exception("Briefing request %s failed", request.pk)
        BriefingRequest.objects.filter(pk=request.pk).update(
            state=BriefingRequest.State.FAILED, error=str(exc)[:2000], finished_at=clock.now()
        )
        raise
    request.refresh_from_db()
    request.file.save(ready.filename, ContentFile(ready.data), save=False)
    request.state = BriefingRequest.State.DONE
    request.finished_at = clock.now()
    request.save(update_fields=["file", "state", "finished_at"])
    return request
