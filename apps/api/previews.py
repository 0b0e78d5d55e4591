"""Dry runs: what a route would do with a sample event, and a test POST to a destination.

Neither stores anything. The route preview never sends; the destination test sends one
request built exactly like a real delivery (auth header, Standard Webhooks signature).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from apps.core.models import Destination, Route, new_message_id

logger = logging.getLogger(__name__)

TEST_EVENT_TYPE = "relaycore.test"


def sample_payload() -> dict[str, Any]:
    return {
        "type": TEST_EVENT_TYPE,
        "message": "This is a test event from RelayCore.",
        "sent_at": timezone.now().isoformat(),
    }


def send_test_event(destination: Destination, payload: Any = None) -> dict[str, Any]:
    """POST a test event to the destination now; answers what came back."""
    from apps.delivery.http_client import send
    from apps.delivery.outbound import destination_headers

    data = sample_payload() if payload is None else payload
    body = json.dumps(data, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "X-RelayCore-Event-Type": TEST_EVENT_TYPE}
    headers.update(destination_headers(destination, new_message_id(), body))
    result = send(destination.url, body, headers, timeout=destination.timeout_seconds)
    return {
        "ok": result.ok,
        "status_code": result.status_code,
        "duration_ms": result.duration_ms,
        "response_body": result.response_body,
        "error": result.error,
    }


def _failed_condition(result: Any) -> dict[str, Any] | None:
    if result is None:
        return None
    condition = result.condition if isinstance(result.condition, dict) else {}
    return {
        "index": result.index,
        "path": condition.get("path"),
        "op": condition.get("op"),
        "value": condition.get("value"),
        "detail": result.detail,
    }


def _shown_body(body: bytes, content_type: str) -> Any:
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type.lower():
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _transformed(route: Route, event_type: str, payload: Any, headers: Mapping[str, str]):
    from apps.transformers.base import TransformError, TransformInput, UnknownTransformer
    from apps.transformers.registry import transform

    data = TransformInput(
        event_type=event_type,
        payload=payload,
        headers=dict(headers),
        body=json.dumps(payload).encode(),
        content_type="application/json",
        source_slug=route.source.slug,
        event_id=None,
        received_at=timezone.now(),
        options=dict(route.transformer_options or {}),
    )
    try:
        outbound = transform(route.transformer, data)
    except (TransformError, UnknownTransformer) as exc:
        return None, str(exc.args[0] if exc.args else exc)
    except Exception as exc:  # noqa: BLE001 - a sample may trip any transformer; say so
        logger.warning("api.route_preview.transformer_crashed route_id=%s", route.pk, exc_info=True)
        return None, f"the transformer failed on this sample: {type(exc).__name__}: {exc}"
    body = {
        "content_type": outbound.content_type,
        "body": _shown_body(outbound.body, outbound.content_type),
    }
    return body, ""


def preview_route(
    route: Route, event_type: str, payload: Any, headers: Mapping[str, str]
) -> dict[str, Any]:
    """Would this route take the event, which condition stops it, and what would it send."""
    from apps.core.deadline import DeadlineExceeded, bounded
    from apps.routing.matching import RouteCheck, check_route

    try:
        with bounded(settings.ROUTING_TIME_LIMIT_SECONDS, "routing"):
            check = check_route(route, event_type, payload)
    except DeadlineExceeded as exc:
        check = RouteCheck(False, str(exc))
    output, error = _transformed(route, event_type, payload, headers)
    return {
        "matched": check.matched,
        "reason": check.reason,
        "failed_condition": _failed_condition(check.failed_condition),
        "output": output,
        "error": error,
    }
