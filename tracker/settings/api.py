"""The REST API (DRF) and its OpenAPI schema (drf-spectacular).

The defaults are what the API's own views need (django-filter, keyset pagination, JSON only,
problem-details errors), so a new view gets them without restating them; the benchmark's
reference views set their own (`perf/reference.py`).
"""

from tracker.env import positive_int, throttle_rate

# API tokens (`manage.py issue_token`) expire this many days after they are issued.
API_TOKEN_TTL_DAYS = positive_int("API_TOKEN_TTL_DAYS", 90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commitments.rest.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": throttle_rate("API_THROTTLE_ANON", "60/minute"),
        "user": throttle_rate("API_THROTTLE_USER", "1200/minute"),
    },
    # Keyset cursors (no COUNT, no OFFSET); page_size is the paginator's (50, at most 200).
    "DEFAULT_PAGINATION_CLASS": "commitments.rest.pagination.KeysetPagination",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The API speaks JSON only; every error is an RFC 9457 problem (commitments/api/errors.py).
    "DEFAULT_RENDERER_CLASSES": ["commitments.rest.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["commitments.rest.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "commitments.rest.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kazakhstan–Kyrgyzstan commitment tracker API",
    "DESCRIPTION": (
        "Commitments, evidence, sources, countries and status history; suggestions that new "
        "articles make, for review (`/suggestions/`); and every change as an event, read from "
        "the change feed (`/events/`) or pushed to webhooks (`/webhooks/`). Times are given in "
        "the project's time zone (+05:00)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc assets come from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "commitments.rules.Status",
        "CategoryEnum": "commitments.models.Category",
        "EventTypeEnum": "commitments.events.models.EventType",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "commitments.rest.schema.add_problem_responses",
    ],
}
