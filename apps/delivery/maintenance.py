"""Periodic safety nets, run by Beat.

dispatch_due: outcomes whose retry time has come but whose task never ran (the retry
was further off than a broker countdown may safely be, the broker lost the message, or
a worker died holding the claim) are put back on the queue.
sweep_unrouted: events committed but never routed (the broker was down at ingest, the
worker died mid-routing, or routing failed fewer than ROUTING_MAX_FAILURES times) are
queued again. A ``routing_failed`` event is not ``received``: it is never swept again.
Held outcomes are neither pending nor retrying: the dispatcher leaves them alone.
Waiting ones too, but dispatch_due also looks again at those whose predecessor is
finished (apps.delivery.ordering.sweep): a wake-up a crash or a race left out.
Both are safe to repeat: the tasks they send claim their row before doing anything.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from apps.core import task_names
from apps.core.logs import log_event
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.core.queue import publish
from apps.delivery import ordering

logger = logging.getLogger(__name__)
BATCH = 1000
CHUNK = 50  # ids per task message


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def reclaim_expired_leases(now: datetime) -> list[int]:
    """Outcomes whose worker died mid-delivery: make them due again, right now."""
    expired = list(
        Outcome.objects.filter(
            status=OutcomeStatus.DELIVERING, lease_expires_at__lt=now
        ).values_list("pk", flat=True)[:BATCH]
    )
    Outcome.objects.filter(pk__in=expired, status=OutcomeStatus.DELIVERING).update(
        status=OutcomeStatus.RETRYING,
        next_attempt_at=now,
        lease_expires_at=None,
        last_error="the worker holding this delivery stopped; retrying",
        updated_at=now,
    )
    return expired


def dispatch_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    reclaimed = reclaim_expired_leases(now)
    ordering.sweep(now)
    due = due_outcomes(now)
    first = set(due)
    queued = due + [pk for pk in reclaimed if pk not in first]
    for chunk in chunks(queued):
        publish(task_names.DELIVER_OUTCOMES, chunk)
    if queued:
        log_event(logger, "dispatcher.run", queued=len(queued), reclaimed=len(reclaimed))
    return len(queued)


def due_outcomes(now: datetime) -> list[int]:
    """The pending and retrying outcomes whose time has come (by more than the grace),
    oldest due first: released held outcomes are due at their event's receipt time, so
    they go in receipt order."""
    cutoff = now - timedelta(seconds=settings.DISPATCH_GRACE_SECONDS)
    return list(
        Outcome.objects.filter(
            status__in=[OutcomeStatus.PENDING, OutcomeStatus.RETRYING],
            next_attempt_at__lte=cutoff,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )


def sweep_unrouted(now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SWEEP_AFTER_SECONDS)
    stale = list(
        Event.objects.filter(status=EventStatus.RECEIVED, received_at__lt=cutoff)
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    for chunk in chunks(stale):
        publish(task_names.PROCESS_EVENTS, chunk)
    if stale:
        log_event(logger, "sweeper.run", queued=len(stale))
    return len(stale)
