from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.ingestion.service import (
    Inbound,
    IngestResult,
    error,
    find_source,
    ingest,
    too_large,
)


def _respond(result: IngestResult) -> JsonResponse:
    response = JsonResponse(result.body, status=result.status_code)
    for name, value in result.headers.items():
        response[name] = value
    return response


@csrf_exempt
def receive(request: HttpRequest, slug: str) -> JsonResponse:
    if request.method != "POST":
        result = error(405, "method_not_allowed", "webhooks are received with POST")
        return _respond(IngestResult(405, result.body, {"Allow": "POST"}))
    source = find_source(slug)
    if isinstance(source, IngestResult):
        return _respond(source)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > settings.WEBHOOK_MAX_BODY_BYTES:
        return _respond(too_large())
    try:
        body = request.body
    except RequestDataTooBig:
        return _respond(too_large())
    inbound = Inbound(
        headers={name.lower(): value for name, value in request.headers.items()},
        body=body,
        # The whole header: parameters such as a multipart boundary are needed to parse.
        content_type=request.META.get("CONTENT_TYPE", ""),
    )
    return _respond(ingest(source, inbound))
