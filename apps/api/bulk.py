"""Bulk replay: pick outcomes by the event list's filters, then by outcome."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.api.filters import search_events
from apps.core.models import OutcomeStatus, RouteOutcome, WebhookDelivery

EVENT_LOOKUPS = {
    "source": "source_id",
    "source_slug": "source__slug",
    "status": "status",
    "event_type": "event_type",
    "received_after": "received_at__gte",
    "received_before": "received_at__lt",
}


def outcomes_to_replay(criteria: dict[str, Any]) -> QuerySet[RouteOutcome]:
    """Outcomes in `outcome_status` (dead letters by default) of the matching events."""
    events = WebhookDelivery.objects.filter(
        **{lookup: criteria[key] for key, lookup in EVENT_LOOKUPS.items() if key in criteria}
    )
    if criteria.get("search"):
        events = search_events(events, criteria["search"])
    outcomes = RouteOutcome.objects.filter(
        event__in=events.values("pk"),
        status=criteria.get("outcome_status", OutcomeStatus.DEAD_LETTERED),
    )
    if "destination" in criteria:
        outcomes = outcomes.filter(destination_id=criteria["destination"])
    if "route" in criteria:
        outcomes = outcomes.filter(route_id=criteria["route"])
    return outcomes


def bulk_replay(criteria: dict[str, Any]) -> dict[str, int]:
    from apps.delivery.replay import replay_outcomes

    outcomes = outcomes_to_replay(criteria)
    if criteria.get("dry_run"):
        return {"would_queue": outcomes.count()}
    return {"queued": replay_outcomes(outcomes)}
