"""OpenAPI post-processing: the problem-details error responses, declared once for all, and what
the routes and write serializers enforce that drf-spectacular cannot see."""

from __future__ import annotations

from .errors import PROBLEM_TYPES

COUNTRY_CODE_SCHEMA = {"type": "string", "pattern": "^[A-Z]{2}$", "example": "KZ"}

# An id in a route (a primary key, bigint), and the same in the schema, as the integers they are.
ID_PATTERN = "[0-9]{1,18}"
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": 10**18 - 1}
_ID_PATTERN = f"^{ID_PATTERN}$"

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": (
        "RFC 9457 problem details, the body of every 4xx answer (media type "
        "application/problem+json)."
    ),
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {
            "type": "string",
            "description": (
                "`urn:tracker:problem:<code>`, one code per condition:\n\n"
                + "\n".join(
                    f"* `{code}` ({status}): {text}"
                    for code, (status, text) in PROBLEM_TYPES.items()
                )
            ),
        },
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, naming every bad field."},
        "errors": {
            "type": "object",
            "description": (
                "Field name (dotted for nested items, `non_field_errors` for the body as a "
                "whole) to its messages; empty when no field is to blame."
            ),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "current_status": {
            "type": "string",
            "description": "On a forbidden status change: the commitment's status.",
        },
        "allowed_statuses": {
            "type": "array",
            "items": {"type": "string"},
            "description": "On a forbidden status change: the statuses it may move to.",
        },
    },
}

RESPONSES = {
    "400": (
        "BadRequest",
        "Invalid input: malformed JSON, unknown or read-only fields, wrong types, unknown "
        "countries or sources, non-http(s) URLs, quotes not in their source, forbidden status "
        "moves, bad filter values, bad cursor or a page_size above the maximum.",
    ),
    "401": ("Unauthorized", "No or invalid credentials (send `Authorization: Token <key>`)."),
    "403": ("Forbidden", "Your countries do not own or partner in this commitment."),
    "404": ("NotFound", "No such resource."),
    "405": ("MethodNotAllowed", "This path does not support the method."),
    "406": ("NotAcceptable", "Only JSON is served."),
    "409": ("Conflict", "A concurrent change made this one impossible; retry."),
    "412": ("PreconditionFailed", "If-Match does not match the current ETag; nothing saved."),
    "413": ("ContentTooLarge", "The body is larger than the upload limit; nothing saved."),
    "415": ("UnsupportedMediaType", "Send application/json."),
    "429": ("TooManyRequests", "Throttled; see Retry-After."),
}


def _ref(code: str) -> dict:
    return {"$ref": f"#/components/responses/{RESPONSES[code][0]}"}


def _strict_request_bodies(result) -> None:
    """Write serializers refuse undeclared fields (a 400 naming them); the schema says so."""
    schemas = result.get("components", {}).get("schemas", {})
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                name = ref.rpartition("/")[2]
                if name in schemas:
                    schemas[name]["additionalProperties"] = False


def _typed_path_parameters(result) -> None:
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                if parameter["schema"].get("pattern") == _ID_PATTERN:
                    parameter["schema"] = dict(ID_SCHEMA)
                elif parameter["name"] == "code":
                    parameter["schema"] = dict(COUNTRY_CODE_SCHEMA)
                    parameter["description"] = "ISO 3166-1 alpha-2 code."


def add_problem_responses(result, generator, request, public):
    """Every operation gets the problem responses it can produce, all with the Problem body."""
    _strict_request_bodies(result)
    _typed_path_parameters(result)
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    responses = components.setdefault("responses", {})
    for name, description in RESPONSES.values():
        responses[name] = {
            "description": description,
            "content": {"application/problem+json": {"schema": PROBLEM_REF}},
        }
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["401", "404", "405", "406", "429"]
            parameters = operation.get("parameters", [])
            if operation.get("requestBody") or any(p.get("in") == "query" for p in parameters):
                codes.append("400")
            if method != "get":
                codes += ["403", "409"]
            if operation.get("requestBody"):
                codes += ["413", "415"]
            if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in parameters):
                codes.append("412")
            for code in sorted(codes):
                operation["responses"].setdefault(code, _ref(code))
    return result
