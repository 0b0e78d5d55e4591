"""An event's delivery state: one word for where its outcomes stand together.

An event's own status says how ingest and routing went (`routed` once it has outcomes);
what became of it at its destinations is in the outcomes. The dashboard's badge and the
API's `delivery_state` read this summary, so a `routed` event whose only outcome is
dead-lettered is shown dead-lettered:

    retrying          some outcome waits for a retry
    delivering        some outcome is pending or in flight (none retrying)
    waiting           some outcome waits behind an earlier event of its ordering key
    held              the rest are done, some are held by a pause or a disabled destination
    delivered         all done, every one delivered (or filtered by its transformation)
    partly_delivered  all done, some delivered and some dead-lettered
    dead_lettered     all done, none delivered, some dead-lettered
    filtered          every outcome filtered by its transformation: nothing to send
    null              no outcomes (no route matched, refused at ingest, not routed yet)

Unfinished states come first, in that order: a retry in progress is what an operator
watching the event needs to know before anything that has already ended.
"""

from __future__ import annotations

from collections.abc import Mapping

from apps.core.models import OutcomeStatus

STATES = (
    "retrying",
    "delivering",
    "waiting",
    "held",
    "delivered",
    "partly_delivered",
    "dead_lettered",
    "filtered",
)


def delivery_state(counts: Mapping[str, int]) -> str | None:
    """The summary of an event's outcome counts (status -> how many)."""

    def has(*statuses: str) -> bool:
        return any(counts.get(status, 0) for status in statuses)

    if has(OutcomeStatus.RETRYING):
        return "retrying"
    if has(OutcomeStatus.PENDING, OutcomeStatus.DELIVERING):
        return "delivering"
    if has(OutcomeStatus.WAITING):
        return "waiting"
    if has(OutcomeStatus.HELD):
        return "held"
    delivered, dead = has(OutcomeStatus.DELIVERED), has(OutcomeStatus.DEAD_LETTERED)
    if delivered:
        return "partly_delivered" if dead else "delivered"
    if dead:
        return "dead_lettered"
    if has(OutcomeStatus.FILTERED):
        return "filtered"
    return None
