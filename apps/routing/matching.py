"""Which routes an event goes to.

A route matches when it is active, one of its event-type patterns matches the event's
type, and all its conditions pass (on the body, headers and query string). Patterns are
exact names, ``*`` for every event, or shell-style globs (``pull_request.*``), compared
case-sensitively. Fan-out: every matching route is returned, highest priority first
(then oldest); none stops the rest.

An empty ``event_types`` list matches nothing; ``validate_event_types`` refuses it so
that a route meant for everything says ``["*"]`` explicitly.

Routing one event is bounded: ``routes_for`` runs the checks under
ROUTING_TIME_LIMIT_SECONDS of CPU time (apps.core.deadline) and turns anything that goes
wrong into ``RoutingError``, so that the caller can set that one event aside and route
the others. It reads and writes nothing: callers evaluate first, then write in a short
transaction, never holding a write lock while user conditions run.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from django.conf import settings

from apps.core import deadline
from apps.core.models import Event, Route
from apps.routing import verdicts
from apps.routing.conditions import ConditionResult, first_failure

MAX_EVENT_TYPE_LENGTH = 200  # Event.event_type's column size


@dataclass
class RouteCheck:
    matched: bool
    reason: str
    failed_condition: ConditionResult | None = None
    code: str = verdicts.MATCHED  # apps.routing.verdicts' codes


def _patterns(value: Any) -> list[str]:
    # A bare string is a common hand-edited mistake for a one-item list.
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def event_type_matches(patterns: list[str], event_type: str) -> bool:
    event_type = event_type or ""
    return any(
        pattern == "*" or fnmatchcase(event_type, pattern) for pattern in _patterns(patterns)
    )


def check_route(
    route: Route,
    event_type: str,
    payload: Any,
    headers: dict[str, Any] | None = None,
    query: str = "",
) -> RouteCheck:
    """Whether one route takes this event, and if not, why (for logs and dry runs)."""
    if not route.is_active:
        return RouteCheck(False, "route is inactive", code=verdicts.INACTIVE)
    if not event_type_matches(route.event_types, event_type):
        reason = f"event type {event_type!r} does not match {_patterns(route.event_types)}"
        return RouteCheck(False, reason, code=verdicts.EVENT_TYPE)
    failure = first_failure(route.conditions, payload, headers, query)
    if failure is not None:
        return RouteCheck(False, failure.detail, failure, code=verdicts.CONDITION)
    return RouteCheck(True, "matched")


class RoutingError(Exception):
    """Routing one event raised or ran out of time; the message says why."""


@dataclass
class Routed:
    """Which routes take an event, and every route's verdict (apps.routing.verdicts)."""

    matched: list[Route]
    verdicts: list[verdicts.Verdict]
    status: str


def _verdict(route: Route, check: RouteCheck) -> verdicts.Verdict:
    failure = check.failed_condition
    reason = verdicts.condition_reason(failure) if failure is not None else check.reason
    return verdicts.verdict(route, check.code, reason)


def route_event(event: Event, routes: list[Route]) -> Routed:
    """Check every one of `routes` (all of the source's, inactive ones included) against
    the event, in their order; raises RoutingError."""
    try:
        with deadline.bounded(settings.ROUTING_TIME_LIMIT_SECONDS, "routing"):
            matched, found = [], []
            for route in routes:
                deadline.check()
                check = check_route(
                    route, event.event_type, event.payload, event.headers, event.query_string
                )
                if check.matched:
                    matched.append(route)
                found.append(_verdict(route, check))
            return Routed(matched, found, verdicts.status_of(routes, matched))
    except deadline.DeadlineExceeded as exc:
        raise RoutingError(str(exc)) from exc
    except Exception as exc:  # one event's failure, whatever it is, must stay its own
        raise RoutingError(f"{type(exc).__name__}: {exc}") from exc


def routes_for(event: Event, routes: list[Route]) -> list[Route]:
    """Those of `routes` that take the event, in their order; raises RoutingError."""
    return route_event(event, routes).matched


def route_now(event: Event) -> Routed:
    """The event against every route of its source as the rows are now (inactive ones
    included, deleted ones not), by priority desc then id; raises RoutingError."""
    routes = (
        Route.objects.filter(source_id=event.source_id)
        .select_related("destination", "transformation")
        .order_by("-priority", "id")
    )
    return route_event(event, list(routes))


def matching_routes(event: Event) -> list[Route]:
    """Every active route of the event's source that matches, by priority desc then id;
    raises RoutingError."""
    return route_now(event).matched


def validate_event_types(value: Any) -> list[str]:
    """Human messages for a bad event_types value; [] when valid."""
    if not isinstance(value, list):
        return ['event types must be a list of strings, e.g. ["push"], or ["*"] for all']
    if not value:
        return ['event types must not be empty; use ["*"] to match every event']
    messages = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            messages.append(f"event type {number}: must be a non-empty string")
        elif item != item.strip():
            messages.append(f"event type {number} ({item!r}): has spaces around it")
        elif len(item) > MAX_EVENT_TYPE_LENGTH:
            messages.append(f"event type {number}: longer than {MAX_EVENT_TYPE_LENGTH} characters")
    return messages
