"""One error shape for the whole API: RFC 9457 problem details.

Every 4xx body is `application/problem+json` with `type`, `title`, `status`, `detail` and `errors`
(a mapping of field name to a list of messages; empty when no field is to blame). Domain
exceptions from `services` and `rules` are translated here, so views never build error bodies.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from commitments import access, rules

PROBLEM_CONTENT_TYPE = "application/problem+json"
NON_FIELD = "non_field_errors"
_TYPE_PREFIX = "urn:tracker:problem:"

# One `type` per condition, so a client can branch on it (the status alone is not enough: a 400
# may be a bad field or a forbidden move). Listed in the schema and the README.
PROBLEM_TYPES = {
    "parse-error": (400, "The body is not JSON, or nests deeper than the parser allows."),
    "validation-error": (400, "Bad fields, filters, cursor or page size; see `errors`."),
    "transition-not-allowed": (400, "A forbidden status change; see `allowed_statuses`."),
    "not-authenticated": (401, "No credentials."),
    "authentication-failed": (401, "Unknown, revoked or inactive user's token."),
    "token-expired": (401, "The token has expired; issue a new one."),
    "edit-not-allowed": (403, "Your countries may not change this commitment."),
    "permission-denied": (403, "Not allowed for another reason."),
    "not-found": (404, "No such resource or path."),
    "method-not-allowed": (405, "The path does not support the method."),
    "not-acceptable": (406, "Only JSON is served."),
    "conflict": (409, "A concurrent change made this one impossible; retry."),
    "precondition-failed": (412, "If-Match does not match the current ETag; nothing saved."),
    "too-large": (
        413,
        "The body is larger than the upload limit, or the article's text or file past a limit "
        "of ingestion (characters, pages, time or memory to read it).",
    ),
    "unsupported-media-type": (415, "Send application/json."),
    "throttled": (429, "Too many requests; see Retry-After."),
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The resource has changed since you read it; fetch it again and retry."
    )
    default_code = "precondition_failed"


# The problem's `title`: the status's reason phrase, in the caller's language (Accept-Language).
PROBLEM_TITLES = {
    400: gettext_lazy("Bad Request"),
    401: gettext_lazy("Unauthorized"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not Found"),
    405: gettext_lazy("Method Not Allowed"),
    406: gettext_lazy("Not Acceptable"),
    409: gettext_lazy("Conflict"),
    412: gettext_lazy("Precondition Failed"),
    413: gettext_lazy("Request Entity Too Large"),
    415: gettext_lazy("Unsupported Media Type"),
    429: gettext_lazy("Too Many Requests"),
}


def problem_title(status_code: int) -> str:
    title = PROBLEM_TITLES.get(status_code)
    return str(title) if title is not None else HTTPStatus(status_code).phrase


def problem_type(code: str) -> str:
    return f"{_TYPE_PREFIX}{code.replace('_', '-')}"


def problem_response(
    status_code: int,
    detail: str,
    *,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body = {
        "type": problem_type(code) if code else "about:blank",
        "title": problem_title(status_code),
        "status": status_code,
        "detail": detail,
        "errors": errors or {},
        **extensions,
    }
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF/Django error structures as `{"field": [...], "partner_countries.1": [...]}`."""
    flat: dict[str, list[str]] = {}

    def add(key: str, message: Any) -> None:
        flat.setdefault(_printable(key) or NON_FIELD, []).append(_printable(str(message)))

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                name = NON_FIELD if name in ("__all__", NON_FIELD) else str(name)
                walk(inner, f"{key}.{name}" if key else name)
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                if isinstance(inner, dict | list | tuple):
                    walk(inner, f"{key}.{index}" if key else str(index))
                else:
                    add(key, inner)
        else:
            add(key, value)

    walk(detail, prefix)
    return flat


def _printable(text: str) -> str:
    """Echoed input may hold lone surrogates, which cannot be encoded as UTF-8 JSON."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _summary(errors: dict[str, list[str]]) -> str:
    parts = [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
    return _("Invalid input.") + " " + "; ".join(parts)


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return flatten_errors(exc.message_dict)
    return {NON_FIELD: list(exc.messages)}


def _too_large(exc: DjangoValidationError) -> bool:
    """Every error of `exc` is about size (code "too_large")."""
    errors = exc.error_list if not hasattr(exc, "error_dict") else []
    for listed in getattr(exc, "error_dict", {}).values():
        errors = [*errors, *listed]
    return bool(errors) and all(error.code == "too_large" for error in errors)


def validation_problem(errors: dict[str, list[str]], code: str = "validation_error", **ext):
    return problem_response(400, _summary(errors), code=code, errors=errors, **ext)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error the API knows about becomes a problem response."""
    response = _problem_for(exc)
    if response is not None:
        set_rollback()
    return response


def _problem_for(exc: Exception) -> Response | None:
    if isinstance(exc, rules.TransitionNotAllowed):
        return validation_problem(
            _django_errors(exc),
            code="transition_not_allowed",
            current_status=exc.old_status,
            allowed_statuses=list(exc.allowed),
        )
    if isinstance(exc, DjangoValidationError) and _too_large(exc):
        # An article too long, or a file too costly to read (ingestion.extraction): not a bad
        # field but content past a limit, as a body past the upload limit.
        errors = _django_errors(exc)
        return problem_response(413, _summary(errors), code="too_large", errors=errors)
    if isinstance(exc, DjangoValidationError):
        return validation_problem(_django_errors(exc))
    if isinstance(exc, rules.VersionConflict):
        # The same condition as the early If-Match check, found again under the row lock.
        return problem_response(412, str(exc), code=PreconditionFailed.default_code)
    if isinstance(exc, RequestDataTooBig):
        # Raised by Django when DRF reads the body; left alone it would be a text/html 400.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return problem_response(
            413,
            _("The request body is larger than the limit of %(limit)d bytes.") % {"limit": limit},
            code="too_large",
        )
    if isinstance(exc, access.EditNotAllowed):
        return problem_response(403, str(exc), code="edit_not_allowed")
    if isinstance(exc, DjangoPermissionDenied):
        return problem_response(
            403, str(exc) or _("You may not do this."), code="permission_denied"
        )
    if isinstance(exc, Http404):
        return problem_response(404, _("Not found."), code="not_found")
    if isinstance(exc, IntegrityError):
        return problem_response(
            409, _("The change conflicts with data saved at the same time; retry."), code="conflict"
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        return validation_problem(errors)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        detail = exc.detail
        if isinstance(detail, dict | list):
            errors = flatten_errors(detail)
            return problem_response(
                exc.status_code, _summary(errors), code=exc.default_code, errors=errors
            )
        code = getattr(detail, "code", None) or exc.default_code
        return problem_response(exc.status_code, str(detail), code=code, headers=headers)
    return None
