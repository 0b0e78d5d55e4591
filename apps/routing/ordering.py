"""A route's ordering key: which value of an event its ordered delivery goes by.

A route's ``ordering_key`` is a JSONPath into the body (``$.repository.full_name``) or a
header (``headers.x-shopify-shop-domain``, the name case-insensitive). ``value_of``
reads it from an event at routing time: the first value the path finds, as text (JSON
for anything but a string). An event where it finds nothing, or only null, has no key
and goes unordered. The value is stored on the outcome; a long one is stored as its
SHA-256, so two long values stay two keys. What happens with the value is
apps.delivery.ordering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from apps.core import deadline, jsonpath
from apps.core.models import Event, Route
from apps.routing.conditions import HEADER_PREFIX, Subject, values_at
from apps.routing.matching import RoutingError

MAX_EXPRESSION = 300  # Route.ordering_key's column size
MAX_VALUE = 200  # Outcome.ordering_key's column size
_HEADER_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~")


def validate_ordering_key(expression: Any) -> list[str]:
    """Human messages for a bad ordering key; [] when valid (empty means unordered)."""
    if not isinstance(expression, str):
        return ["must be a JSONPath such as $.repository.full_name, or headers.<name>"]
    if not expression:
        return []
    if len(expression) > MAX_EXPRESSION:
        return [f"must be at most {MAX_EXPRESSION} characters"]
    if expression.startswith(HEADER_PREFIX):
        name = expression[len(HEADER_PREFIX) :]
        if not name or not set(name.lower()) <= _HEADER_NAME_CHARS:
            return [f"{expression!r}: headers. must be followed by a header name"]
        return []
    if not expression.startswith("$"):
        return [
            f"{expression!r}: must be a JSONPath starting with $ (such as $.data.object.id) "
            "or headers.<name>"
        ]
    problem = jsonpath.problem(expression)
    return [f"invalid JSONPath {expression!r}: {problem}"] if problem else []


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    if len(text) > MAX_VALUE:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return text


def value_of(expression: str, event: Event) -> str:
    """The event's value of this ordering key, as stored on its outcome; "" for none."""
    subject = Subject.of(event.payload, event.headers, event.query_string)
    found = [value for value in values_at(expression, subject) if value is not None]
    return _text(found[0]) if found else ""


def keys_for(event: Event, routes: Iterable[Route]) -> dict[int, str]:
    """The event's ordering key on each of these routes that orders and where the event
    has one (route id -> value); raises RoutingError, as routing does."""
    ordered = [route for route in routes if route.ordering_key]
    if not ordered:
        return {}
    try:
        with deadline.bounded(settings.ROUTING_TIME_LIMIT_SECONDS, "ordering key"):
            found = {route.pk: value_of(route.ordering_key, event) for route in ordered}
    except deadline.DeadlineExceeded as exc:
        raise RoutingError(str(exc)) from exc
    except Exception as exc:  # one event's failure stays its own, as in routes_for
        raise RoutingError(f"{type(exc).__name__}: {exc}") from exc
    return {pk: value for pk, value in found.items() if value}
