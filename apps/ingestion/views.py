"""`POST /webhooks/receive/<slug>/`: a thin view over apps.ingestion.service.

Every refusal (4xx) is logged here once, as `ingest.refused` at INFO with its status
and code; a refused signature has its own line (`ingest.signature.failed`) from the
service. Django's own WARNING line for a 4xx is filtered out (apps/monitoring/quiet.py):
a producer's mistake is not the gateway's warning.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.core.logs import log_event
from apps.ingestion.service import (
    Inbound,
    IngestResult,
    error,
    find_source,
    ingest,
    too_large,
)

logger = logging.getLogger(__name__)
# Refusals the service logs itself.
_LOGGED_BY_SERVICE = {"signature_invalid"}


def _respond(result: IngestResult, slug: str) -> JsonResponse:
    if 400 <= result.status_code < 500:
        code = (result.body.get("error") or {}).get("code", "")
        if code not in _LOGGED_BY_SERVICE:
            log_event(logger, "ingest.refused", source=slug, status=result.status_code, code=code)
    response = JsonResponse(result.body, status=result.status_code)
    for name, value in result.headers.items():
        response[name] = value
    return response


# Past this, an oversized body is not worth reading only to drop: the answer goes out
# with Connection: close, and a producer still sending may see it cut short.
MAX_DRAIN_BYTES = 16 * 1024 * 1024
_DRAIN_CHUNK = 64 * 1024


def _refuse_unread(request: HttpRequest, slug: str, declared: int) -> JsonResponse:
    """413 without keeping the body. The body is read and dropped first: a server that
    closes a socket with unread bytes in it makes the kernel send a reset, which can
    destroy the answer before the producer reads it."""
    response = _respond(too_large(), slug)
    if declared > MAX_DRAIN_BYTES:
        response["Connection"] = "close"
        return response
    stream = request.META.get("wsgi.input")
    left = declared
    try:
        while stream is not None and left > 0:
            chunk = stream.read(min(_DRAIN_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
    except OSError:
        pass  # the producer went away: nobody is left to read the answer
    return response


@csrf_exempt
def receive(request: HttpRequest, slug: str) -> JsonResponse:
    if request.method != "POST":
        result = error(405, "method_not_allowed", "webhooks are received with POST")
        return _respond(IngestResult(405, result.body, {"Allow": "POST"}), slug)
    source = find_source(slug)
    if isinstance(source, IngestResult):
        return _respond(source, slug)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > settings.WEBHOOK_MAX_BODY_BYTES:
        return _refuse_unread(request, slug, int(declared))
    try:
        body = request.body
    except RequestDataTooBig:
        return _respond(too_large(), slug)
    inbound = Inbound(
        headers={name.lower(): value for name, value in request.headers.items()},
        body=body,
        # The whole header: parameters such as a multipart boundary are needed to parse.
        content_type=request.META.get("CONTENT_TYPE", ""),
        query_string=request.META.get("QUERY_STRING", ""),
    )
    return _respond(ingest(source, inbound), slug)
