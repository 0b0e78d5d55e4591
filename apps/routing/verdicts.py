"""Why an event went where it went: one verdict per route of its source.

Routing keeps, on the event, what each route of the source said about it, so that an
event no route took tells its reader why ("condition 1 failed: $.ref was "dev", expected
equals "main"") instead of only that nothing matched. A verdict is small JSON, stored as
it is written here and read back by the API (which adds the route's name):

    {"route": 3, "matched": false, "code": "condition", "reason": "condition 1 failed: ..."}

Codes: ``matched``; ``paused`` (matched, its outcome held); ``inactive``; ``event_type``
(the event's type is not in the route's list); ``condition`` (one failed).

The event's status follows from them: ``routed`` when a route matched, ``filtered`` when
the source has active routes and none matched, ``no_route`` when it has no active route.
"""

from __future__ import annotations

import json
from typing import Any

from apps.core.models import EventStatus, Route
from apps.routing.conditions import ConditionResult

MAX_REASON = 300
MATCHED, PAUSED, INACTIVE, EVENT_TYPE, CONDITION = (
    "matched",
    "paused",
    "inactive",
    "event_type",
    "condition",
)
CODES = (MATCHED, PAUSED, INACTIVE, EVENT_TYPE, CONDITION)
PAUSED_REASON = "matched; the route is paused, so its outcome is held"

Verdict = dict[str, Any]


def _short(text: str) -> str:
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def condition_reason(failure: ConditionResult) -> str:
    """'condition 2 failed: $.ref was "dev", expected equals "main"', from the leaf that
    failed; a group that failed as a whole (any, not) or a broken condition says its detail."""
    number = f"condition {failure.index + 1} failed"
    leaf = failure.condition
    top = f"conditions[{failure.index}]"
    if failure.place and failure.place != top:
        number += f" at {failure.place}"
    if failure.found is None or not isinstance(leaf, dict) or "path" not in leaf:
        return _short(f"{number}: {failure.detail}")
    found = "found nothing" if failure.found == "nothing" else f"was {failure.found}"
    expected = leaf.get("op", "")
    if "value" in leaf:
        expected += f" {json.dumps(leaf['value'], default=str)}"
    return _short(f"{number}: {leaf['path']} {found}, expected {expected}")


def verdict(route: Route, code: str, reason: str) -> Verdict:
    return {"route": route.pk, "matched": code in (MATCHED, PAUSED), "code": code, "reason": reason}


def mark_paused(verdicts: list[Verdict], paused_routes: set[int]) -> list[Verdict]:
    """The matched verdicts of paused routes say that their outcome is held."""
    for item in verdicts:
        if item["code"] == MATCHED and item["route"] in paused_routes:
            item.update(code=PAUSED, reason=PAUSED_REASON)
    return verdicts


def status_of(routes: list[Route], matched: list[Route]) -> EventStatus:
    """routed, filtered (active routes, none matched) or no_route (no active route)."""
    if matched:
        return EventStatus.ROUTED
    if any(route.is_active for route in routes):
        return EventStatus.FILTERED
    return EventStatus.NO_ROUTE
