"""One error shape for every API failure: DRF's exceptions mapped to apps/core/errors.py.

Every 4xx (and the rare 5xx) answers::

    {"error": {"code": "validation_error", "message": "url: ...", "fields": {"url": ["..."]}}}

How exceptions map to codes::

    APIException (DRF)
     ├── ValidationError ........ 400 validation_error   (fields name the inputs)
     ├── ParseError ............. 400 parse_error        (malformed JSON)
     ├── NotAuthenticated ....... 401 not_authenticated
     ├── AuthenticationFailed ... 401 authentication_failed
     ├── PermissionDenied ....... 403 permission_denied  (also a CSRF failure)
     ├── NotFound ............... 404 not_found          (also Django's Http404)
     ├── MethodNotAllowed ....... 405 method_not_allowed
     ├── Conflict ............... 409 conflict           (also ProtectedError, IntegrityError)
     ├── SearchTimeout .......... 503 search_timeout     (apps/api/query_timeout.py)
     ├── LockedOut .............. 429 locked_out
     └── Throttled .............. 429 throttled
    django ValidationError ...... 400 validation_error
    a body over API_MAX_BODY_BYTES 413 payload_too_large (apps/api/body_limit.py, before DRF)
    anything else ............... 500 server_error (logged with its traceback)
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from apps.core.errors import error_body

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed logins for this username from this address."
    default_code = "locked_out"


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub" or "list.0.field": [messages]}."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            found.update(flatten_fields(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            return {prefix: [str(item) for item in detail]} if detail else {}
        found = {}
        for index, item in enumerate(detail):
            found.update(flatten_fields(item, f"{prefix}.{index}" if prefix else str(index)))
        return found
    return {prefix: [str(detail)]}


def validation_body(detail: Any) -> dict:
    """The body of a 400 validation_error for this DRF error detail."""
    return _validation_payload(detail)


def _validation_payload(detail: Any) -> dict:
    fields = flatten_fields(detail if isinstance(detail, dict) else {"": detail})
    general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, []) + fields.pop("", [])
    if general:
        message = " ".join(general)
    elif fields:
        name, messages = next(iter(fields.items()))
        more = len(fields) - 1
        message = f"{name}: {messages[0]}" + (f" (and {more} more field(s))" if more else "")
    else:
        message = "Invalid input."
    return error_body("validation_error", message, fields)


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError):
        return Conflict("It is still in use: delete or change what refers to it first.")
    if isinstance(exc, IntegrityError):
        return Conflict("It conflicts with existing data (a duplicate name or slug?).")
    return None


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's EXCEPTION_HANDLER: every error in the one shape."""
    api_exc = _as_api_exception(exc)
    set_rollback()
    if api_exc is None:
        view = context.get("view")
        logger.exception("api.unhandled_error view=%s", type(view).__name__)
        body = error_body("server_error", "Something went wrong on our side; it was logged.")
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    headers = {}
    if getattr(api_exc, "auth_header", None):
        headers["WWW-Authenticate"] = api_exc.auth_header
    if getattr(api_exc, "wait", None):
        headers["Retry-After"] = str(int(api_exc.wait))

    if isinstance(api_exc, exceptions.ValidationError):
        body = _validation_payload(api_exc.detail)
    else:
        code = api_exc.default_code
        if isinstance(api_exc, exceptions.NotAuthenticated):
            code = "not_authenticated"
        body = error_body(code, str(api_exc.detail))
    return Response(body, status=api_exc.status_code, headers=headers)
