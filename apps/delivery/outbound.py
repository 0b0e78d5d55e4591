"""Build the HTTP request for one outcome: transform the event, then add headers."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core import standard_webhooks
from apps.core.models import Destination, Outcome
from apps.transformers.base import TransformInput
from apps.transformers.registry import transform


@dataclass(frozen=True)
class OutboundRequest:
    body: bytes
    headers: dict[str, str]


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


def build_request(outcome: Outcome) -> OutboundRequest:
    """Raises TransformError (permanent) or UnknownTransformer (no such name)."""
    event, route = outcome.event, outcome.route
    result = transform(
        route.transformer, TransformInput.from_event(event, route.transformer_options)
    )
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
    return OutboundRequest(result.body, headers)
