"""The one rule for events refused at ingest: they are never delivered.

An event stored as `sig_failed` (its signature did not verify) or `duplicate` (a copy
of one already accepted) is kept for the record only. Routing it, re-routing it or
replaying one of its outcomes would deliver what the gateway refused, so every path
(API, admin, CLI, bulk replay, the worker) asks `refusal` before putting an event back
through delivery. Any other status (`routing_failed` included) stays deliverable.
"""

from __future__ import annotations

from apps.core.models import EventStatus

NEVER_DELIVERED: tuple[str, ...] = (EventStatus.SIG_FAILED, EventStatus.DUPLICATE)

_MESSAGES = {
    EventStatus.SIG_FAILED: "This event was refused (signature failed): it can never be delivered.",
    EventStatus.DUPLICATE: "This event was refused as a duplicate of an earlier event: "
    "it can never be delivered.",
}


class RefusedEvent(Exception):
    """An attempt to deliver an event refused at ingest; the message says why."""


def refusal(status: str) -> str | None:
    """Why an event in this status can never be delivered, or None if it can be."""
    return _MESSAGES.get(status)


def check_deliverable(status: str) -> None:
    """Raise RefusedEvent for an event refused at ingest."""
    message = refusal(status)
    if message is not None:
        raise RefusedEvent(message)
