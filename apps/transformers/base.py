"""What a transformer receives, what it returns, and how it refuses.

A transformer turns one stored event into the request body for one destination. It is
a pure function of its ``TransformInput``: no database, no network, no clock (the
event's ``received_at`` is passed in), so delivery can call it on every retry and get
the same bytes.

Errors::

    LookupError
     └── UnknownTransformer  no transformer has the route's name (the registry)
    TransformError   the event cannot be shaped for this destination (missing data,
                     missing option). Delivery treats it as permanent: retrying the
                     same event with the same options would fail the same way. A
                     KeyError escaping a transformer becomes one naming the key
                     (registry.transform), so it is never taken for an unknown name.

Any other exception from a transformer is a bug, not a property of the event.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class TransformError(Exception):
    """The event cannot be transformed; retrying will not help."""


class UnknownTransformer(LookupError):
    """No transformer is registered under this name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class TransformInput:
    event_type: str
    payload: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str = "application/json"
    source_slug: str = ""
    event_id: int | None = None
    received_at: datetime | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_event(cls, event: Any, options: Mapping[str, Any] | None = None) -> TransformInput:
        """Build from an Event (select_related("source") avoids a query)."""
        return cls(
            event_type=event.event_type,
            payload=event.payload,
            headers=dict(event.headers or {}),
            body=bytes(event.body or b""),  # BinaryField may hand back a memoryview
            content_type=event.content_type,
            source_slug=event.source.slug,
            event_id=event.pk,
            received_at=event.received_at,
            options=dict(options or {}),
        )


@dataclass(frozen=True)
class Outbound:
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, obj: Any, headers: dict[str, str] | None = None) -> Outbound:
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(body=body, content_type="application/json", headers=dict(headers or {}))

    def parsed(self) -> Any:
        """The body as JSON; for previews and tests."""
        return json.loads(self.body)


class Transformer:
    """One output shape. Subclasses set ``name`` and ``description``."""

    name: str = ""
    description: str = ""

    def transform(self, data: TransformInput) -> Outbound:
        raise NotImplementedError

    def validate_options(self, options: Any) -> list[str]:
        """Messages for unusable route options, checked when a route is saved."""
        return [] if isinstance(options, Mapping) else ["options must be an object"]
