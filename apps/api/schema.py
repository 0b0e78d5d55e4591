"""OpenAPI post-processing: document the one error shape on every operation."""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "validation_error"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}
COMMON_ERRORS = {
    "400": "Bad input: validation_error (fields name the inputs) or parse_error.",
    "401": "not_authenticated or authentication_failed.",
    "403": "permission_denied (also a missing CSRF token on a session request).",
    "404": "not_found: no such object, or a page past the end.",
}
BODY_ERRORS = {
    "409": "conflict: a duplicate, or an object still in use.",
    "415": "unsupported_media_type: send application/json.",
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _error_response(description: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def add_error_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular POSTPROCESSING_HOOKS entry."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            codes = dict(COMMON_ERRORS)
            if method in {"post", "put", "patch", "delete"}:
                codes.update(BODY_ERRORS)
            if path.endswith("/auth/login/"):
                codes["429"] = (
                    "locked_out: too many failed logins for this username from this address; "
                    "throttled: too many login attempts from this address."
                )
            for code, description in codes.items():
                responses.setdefault(code, _error_response(description))
    return result
