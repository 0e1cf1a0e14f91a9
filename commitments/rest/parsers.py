"""The API's one request parser: DRF's JSON parser with a bound on nesting.

Python's JSON decoder recurses once per nesting level, so a body of a few kilobytes nested about
1,000 deep exhausts the interpreter's stack (RecursionError, a 500), and a body just under that
limit would reach code further on with the same depth. No request body of this API nests beyond
three levels (an object holding a list of codes), so anything deeper than MAX_DEPTH is refused
here, once for every endpoint, as a 400 before any view sees it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _too_deep(data, limit: int) -> bool:
    """Whether `data` nests containers deeper than `limit`, without recursing."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(
            _("JSON parse error - the body nests objects or arrays more than %(max)d deep.")
            % {"max": MAX_DEPTH},
            code="parse_error",
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _too_deep(data, MAX_DEPTH):
            raise too_deep
        return data
