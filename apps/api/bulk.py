"""Bulk replay: pick outcomes by the event list's filters, then by outcome.

Bounded on every side: at least one filter, at most BULK_REPLAY_MAX outcomes queued
(oldest first, apps.delivery.replay.bounded_replay), delivered outcomes only when the
request says `include_delivered`, and never an outcome of an event refused at ingest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from apps.api.filters import search_events
from apps.core.models import Event, Outcome, OutcomeStatus
from apps.delivery.refused import NEVER_DELIVERED

if TYPE_CHECKING:
    from apps.delivery.replay import Requester

EVENT_LOOKUPS = {
    "source": "source_id",
    "source_slug": "source__slug",
    "status": "status",
    "event_type": "event_type",
    "received_after": "received_at__gte",
    "received_before": "received_at__lt",
}
OUTCOME_LOOKUPS = {"destination": "destination_id", "route": "route_id"}
# What counts as "a filter": the statuses and the flags alone select too much.
FILTERS = (*EVENT_LOOKUPS, *OUTCOME_LOOKUPS, "search")


def has_filter(criteria: dict[str, Any]) -> bool:
    return any(criteria.get(key) not in (None, "") for key in FILTERS)


def selected_statuses(criteria: dict[str, Any]) -> set[str]:
    statuses = {criteria.get("outcome_status", OutcomeStatus.DEAD_LETTERED)}
    if criteria.get("include_delivered"):
        statuses.add(OutcomeStatus.DELIVERED)
    return statuses


def outcomes_to_replay(criteria: dict[str, Any]) -> QuerySet[Outcome]:
    """Outcomes in the selected statuses of the matching events (never refused ones)."""
    events = Event.objects.filter(
        **{lookup: criteria[key] for key, lookup in EVENT_LOOKUPS.items() if key in criteria}
    ).exclude(status__in=NEVER_DELIVERED)
    if criteria.get("search"):
        events = search_events(events, criteria["search"])
    outcomes = Outcome.objects.filter(
        event__in=events.values("pk"), status__in=selected_statuses(criteria)
    )
    return outcomes.filter(
        **{lookup: criteria[key] for key, lookup in OUTCOME_LOOKUPS.items() if key in criteria}
    )


def bulk_replay(criteria: dict[str, Any], by: Requester) -> dict[str, Any]:
    from apps.delivery.replay import bounded_replay

    return bounded_replay(
        outcomes_to_replay(criteria), by=by, dry_run=criteria.get("dry_run", False)
    )
