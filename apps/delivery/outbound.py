"""Build the HTTP request for one outcome: transform the event, then add headers."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from apps.core import standard_webhooks
from apps.core.models import Destination, Event, Outcome, Route
from apps.transformers.base import Outbound, TransformInput
from apps.transformers.dispatch import shape


@dataclass(frozen=True)
class OutboundRequest:
    body: bytes
    headers: dict[str, str]
    shaped_by: tuple[int, int] | None = None  # (transformation id, version)


def auth_header_pair(raw: str) -> tuple[str, str] | None:
    """'Name: value' -> (Name, value); a bare value is taken as an Authorization header."""
    raw = raw.strip()
    if not raw:
        return None
    name, sep, value = raw.partition(":")
    if sep and name.strip() and " " not in name.strip():
        return name.strip(), value.strip()
    return "Authorization", raw


def destination_headers(destination: Destination, message_id: str, body: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    pair = auth_header_pair(destination.auth_header)
    if pair:
        headers[pair[0]] = pair[1]
    secrets = destination.signing_secrets()
    if secrets:
        headers.update(standard_webhooks.outbound_headers(message_id, body, secrets))
    return headers


def shaped(event: Event, route: Route) -> Outbound:
    """The event shaped for this route, once per event and distinct shaping: the ten
    outcomes of a fan-out through one transformer share one result. A shaping that
    raises is not kept (the next outcome runs it again, and fails the same way)."""
    transformation = route.transformation if route.transformation_id else None
    key = (
        route.transformer,
        transformation and (transformation.pk, transformation.version),
        json.dumps(route.transformer_options, sort_keys=True, default=str),
    )
    # Kept on the instance: one routing batch's outcomes share their event's, nothing
    # outlives the batch. The lock makes the others wait for the first one's result.
    memo = event.__dict__.setdefault("_relaycore_shaped", {})
    with event.__dict__.setdefault("_relaycore_shaping", threading.Lock()):
        if key not in memo:
            data = TransformInput.from_event(event, route.transformer_options)
            memo[key] = shape(route, data)
        return memo[key]


def build_request(outcome: Outcome) -> OutboundRequest:
    """Raises TransformError (permanent), UnknownTransformer (no such name) or Filtered
    (the route's transformation skipped the event): apps.transformers.dispatch."""
    event = outcome.event
    result = shaped(event, outcome.route)
    headers = {"Content-Type": result.content_type, **result.headers}
    headers.update(
        {
            "X-RelayCore-Event-Id": str(event.pk),
            "X-RelayCore-Event-Type": event.event_type,
            "X-RelayCore-Delivery-Id": outcome.message_id,
            "X-RelayCore-Attempt": str(outcome.attempt_count + 1),
        }
    )
    headers.update(destination_headers(outcome.destination, outcome.message_id, result.body))
    return OutboundRequest(result.body, headers, result.shaped_by)
