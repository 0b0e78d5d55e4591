"""API request bodies over API_MAX_BODY_BYTES answer 413 before anything reads them.

This runs before sessions, CSRF and authentication, so that no one (logged in or not,
the login endpoint included) can make the API parse or buffer a large body:

- a Content-Length over the limit is refused without reading a byte;
- a body streamed without one (chunked, behind gunicorn) is read up to one byte past
  the limit and refused past it; under it, it is kept and handed on with its length.

The webhook path has its own limit (WEBHOOK_MAX_BODY_BYTES) and never comes here.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse

from apps.core.errors import error_response

PREFIX = "/api/"


def too_large(limit: int) -> HttpResponse:
    return error_response(
        "payload_too_large",
        f"The request body is larger than the API's {limit}-byte limit (API_MAX_BODY_BYTES).",
        413,
    )


def declared_length(request: HttpRequest) -> int | None:
    """The Content-Length, None when absent; an unreadable one counts as absent."""
    raw = request.META.get("CONTENT_LENGTH")
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def read_streamed(request: HttpRequest, limit: int) -> bytes | None:
    """A body sent without a Content-Length, or None if it is longer than the limit.

    Only where the server marks the input as terminated (gunicorn does): elsewhere a
    read with no length could wait forever, and Django reads such a body as empty.
    """
    if not request.META.get("wsgi.input_terminated"):
        return b""
    stream = request.META["wsgi.input"]
    body = stream.read(limit + 1)
    return None if len(body) > limit else body


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PREFIX):
            limit = settings.API_MAX_BODY_BYTES
            length = declared_length(request)
            if length is not None and length > limit:
                return too_large(limit)
            if length is None:
                body = read_streamed(request, limit)
                if body is None:
                    return too_large(limit)
                if body:
                    request._stream = LimitedStream(io.BytesIO(body), len(body))
                    request.META["CONTENT_LENGTH"] = str(len(body))
        return self.get_response(request)
