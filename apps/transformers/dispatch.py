"""Shape one event for one route: its built-in transformer, or its JavaScript
transformation (apps/transformers/javascript.py).

Errors::

    TransformError       permanent: the event cannot be shaped (built-in or JavaScript);
                         a JavaScript one carries ``shaped_by`` (id, version)
    UnknownTransformer   the route names an unknown built-in transformer (LookupError)
    Filtered             the transformation returned null: deliver nothing, by design
"""

from __future__ import annotations

import json
from typing import Any

from apps.transformers.base import Outbound, TransformError, TransformInput
from apps.transformers.registry import transform

FILTERED_MESSAGE = "filtered by the transformation"


class Filtered(Exception):
    """The route's transformation chose to skip this event (it returned null)."""

    def __init__(self, shaped_by: tuple[int, int], name: str) -> None:
        self.shaped_by = shaped_by
        super().__init__(f"{FILTERED_MESSAGE} {name!r} (version {shaped_by[1]})")


def shape(route: Any, data: TransformInput) -> Outbound:
    """The outbound body and headers for `route`; see the module docstring for errors."""
    transformation = route.transformation if route.transformation_id else None
    if transformation is None:
        return transform(route.transformer, data)
    return run_transformation(transformation, data)


def run_transformation(transformation: Any, data: TransformInput) -> Outbound:
    # Imported here: V8's bindings (mini-racer) cost every process that imports this
    # module, and of these only a Celery worker shaping for a transformation needs them;
    # the web tier imports this module (replay, issues) but never shapes.
    from apps.transformers import javascript

    shaped_by = (transformation.pk, transformation.version)
    result = javascript.run(
        transformation.code, javascript.event_object(data), key=("stored", *shaped_by)
    )
    if result.error is not None:
        error = TransformError(
            f"transformation {transformation.name!r} (version {shaped_by[1]}): {result.error}"
        )
        error.shaped_by = shaped_by
        raise error
    if result.output is None:
        raise Filtered(shaped_by, transformation.name)
    return outbound_of(result.output, shaped_by)


def outbound_of(output: dict[str, Any], shaped_by: tuple[int, int] | None = None) -> Outbound:
    """{"body", "headers"} -> the request: a string body is sent as text, anything else as
    JSON; a Content-Type header, whatever its case, replaces the default type."""
    headers = dict(output.get("headers") or {})
    content_type = None
    for name in list(headers):
        if name.lower() == "content-type":
            content_type = headers.pop(name)
    body = output.get("body")
    if isinstance(body, str):
        raw = body.encode("utf-8")
        content_type = content_type or "text/plain; charset=utf-8"
    else:
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        content_type = content_type or "application/json"
    return Outbound(body=raw, content_type=content_type, headers=headers, shaped_by=shaped_by)


def failure_message(route: Any, exc: Exception) -> str:
    """The dead letter's reason for a failed shaping."""
    if route.transformation_id:
        return str(exc)
    return f"transformer {route.transformer!r} failed: {exc}"
