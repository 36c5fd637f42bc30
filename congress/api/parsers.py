"""The API's JSON parser: DRF's, with a bound on the body's size and on its nesting depth.

Python's json module recurses once per level: a body nested 5,000 deep raised RecursionError
(a 500) before any view ran, on unauthenticated endpoints too. No request of this API nests
more than a few levels, and the largest one is a document version sent as JSON text (up to the
upload limit, twice that once non-ASCII text is escaped as \\uXXXX).
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def max_bytes() -> int:
    return settings.API_JSON_MAX_BYTES


def deeper_than(value, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels (without recursing)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _too_large() -> ParseError:
    return ParseError(
        _("The request body is too large (at most %(size)s MB of JSON).")
        % {"size": max_bytes() // (1024 * 1024)},
        code="request_too_large",
    )


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON nests too deeply (at most %(depth)s levels).") % {"depth": MAX_DEPTH},
        code="json_too_deep",
    )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_bytes()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdecimal() and int(declared) > limit:
            raise _too_large()
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise _too_large()
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as error:
            raise _too_deep() from error
        if deeper_than(data, MAX_DEPTH):
            raise _too_deep()
        return data
