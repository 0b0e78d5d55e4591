"""The one JSON error envelope that every edge answers with.

    {"error": {"code": "payload_too_large", "message": "...", "fields": {}}}

`code` is stable (clients branch on it), `message` is for a human, `fields` names the
inputs at fault (empty when none is). The API's exception handler (apps/api/errors.py),
ingest (apps/ingestion/service.py), the ops views, the middlewares and the dashboard
fallback all build it here, so no copy can drift from the others.
"""

from __future__ import annotations

from django.http import JsonResponse

Fields = dict[str, list[str]]


def error_body(code: str, message: str, fields: Fields | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_response(
    code: str, message: str, http_status: int, fields: Fields | None = None
) -> JsonResponse:
    """The envelope as a response, for code outside DRF views."""
    return JsonResponse(error_body(code, message, fields), status=http_status)
