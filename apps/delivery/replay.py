"""Replay and re-route: put stored events back through delivery.

Replaying starts a fresh series of attempts for an outcome (its earlier attempts stay
on record, and a Replay row says who asked and where the series starts); re-routing
matches an event against today's routes, adds outcomes for routes it now matches, and
replays the ones that have not been delivered. Neither ever touches an event refused at
ingest (apps.delivery.refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.core import storage, task_names
from apps.core.audit import os_user
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus, Replay, ReplayVia
from apps.core.queue import enqueue_on_commit
from apps.delivery import ordering
from apps.delivery.maintenance import chunks
from apps.delivery.refused import NEVER_DELIVERED, check_deliverable
from apps.delivery.rules import new_outcomes
from apps.routing import verdicts
from apps.routing.matching import route_now
from apps.routing.ordering import keys_for

REPLAYABLE = (OutcomeStatus.DEAD_LETTERED, OutcomeStatus.DELIVERED, OutcomeStatus.RETRYING)


@dataclass(frozen=True)
class Requester:
    """Who asked for a replay, as the timeline names them: a username (for a command
    run, the operating-system user, as relay_apply's --actor default) and where they asked."""

    username: str
    via: ReplayVia

    @classmethod
    def command_line(cls) -> Requester:
        return cls(username=os_user(""), via=ReplayVia.CLI)


def replay_outcomes(outcomes: QuerySet[Outcome], *, by: Requester) -> int:
    """Queue each outcome for a fresh series of attempts; answers how many were queued.
    Each gets a Replay row saying who asked, and which attempt number starts the series.

    An outcome being delivered right now, or already waiting for its first try, is
    left alone: replaying it would only send it twice. So is one whose event was
    emptied by retention: there is nothing left to send. Nor is one whose route or
    destination was deleted: nothing would be sent. An outcome of an event refused
    at ingest is never replayed (callers count those with `refused_count`).
    """
    now = timezone.now()
    with transaction.atomic():
        replayable = replayable_outcomes(outcomes)
        numbers = dict(replayable.values_list("pk", "total_attempts"))
        ids = list(numbers)
        Outcome.objects.filter(pk__in=ids).update(
            status=OutcomeStatus.PENDING,
            attempt_count=0,
            next_attempt_at=now,
            lease_expires_at=None,
            delivered_at=None,
            updated_at=now,
        )
        Replay.objects.bulk_create(
            [
                Replay(
                    outcome_id=pk,
                    first_attempt=total + 1,
                    requested_by=by.username,
                    via=by.via,
                    requested_at=now,
                )
                for pk, total in numbers.items()
            ],
            batch_size=500,
        )
        for chunk in chunks(ids):
            enqueue_on_commit(task_names.DELIVER_OUTCOMES, chunk)
    return len(ids)


def replayable_outcomes(outcomes: QuerySet[Outcome]) -> QuerySet[Outcome]:
    """The outcomes among these that a replay would queue."""
    return outcomes.filter(
        status__in=REPLAYABLE,
        event__purged_at__isnull=True,
        route__isnull=False,
        route__deleted_at__isnull=True,
        destination__isnull=False,
        destination__deleted_at__isnull=True,
    ).exclude(event__status__in=NEVER_DELIVERED)


def refused_count(outcomes: QuerySet[Outcome]) -> int:
    """How many of these outcomes belong to events refused at ingest."""
    return outcomes.filter(event__status__in=NEVER_DELIVERED).count()


def bounded_replay(outcomes: QuerySet[Outcome], *, by: Requester, dry_run: bool = False) -> dict:
    """Replay (or count, on a dry run) at most BULK_REPLAY_MAX of these outcomes, oldest
    first, so that one request or command cannot flood every destination at once.

    `matched` is how many a replay would queue without the cap; `capped` says whether
    the cap left some out (run it again to replay the next ones).
    """
    limit = settings.BULK_REPLAY_MAX
    matched = replayable_outcomes(outcomes).count()
    bounds = {"matched": matched, "capped": matched > limit, "limit": limit}
    if dry_run:
        return {"would_queue": min(matched, limit), **bounds}
    oldest = next_replayed(outcomes).values("pk")
    queued = replay_outcomes(Outcome.objects.filter(pk__in=oldest), by=by)
    return {"queued": queued, **bounds}


def next_replayed(outcomes: QuerySet[Outcome]) -> QuerySet[Outcome]:
    """The outcomes a bounded replay of these queues: the oldest BULK_REPLAY_MAX."""
    ordered = replayable_outcomes(outcomes).order_by("created_at", "id")
    return ordered[: settings.BULK_REPLAY_MAX]


def reroute_event(event: Event, *, by: Requester) -> int:
    """Route the event again against today's routes; answers how many outcomes were queued.

    Raises RefusedEvent for an event refused at ingest (sig_failed, duplicate), and
    RoutingError if routing it fails again (nothing is written then). A routing_failed
    event that now routes gets its failure count cleared.
    """
    check_deliverable(event.status)
    now = timezone.now()
    if event.purged_at is not None:
        return 0
    routing = route_now(event)  # evaluated before the transaction: see batch.py
    routes = routing.matched
    paused = {route.pk for route in routes if route.paused}
    found = verdicts.mark_paused(routing.verdicts, paused)
    keys = keys_for(event, routes)
    with transaction.atomic():
        ordering.lock_lines(keys.items())
        known = set(event.outcomes.values_list("route_id", flat=True))
        created = new_outcomes(event, [r for r in routes if r.pk not in known], now, keys=keys)
        storage.insert(created)
        waiting = {outcome.pk for outcome in ordering.place(created)}
        if created:
            queued = [outcome.pk for outcome in created if outcome.pk not in waiting]
            enqueue_on_commit(task_names.DELIVER_OUTCOMES, queued)
        undelivered = event.outcomes.filter(
            route_id__in=[route.pk for route in routes],
            status__in=[OutcomeStatus.DEAD_LETTERED, OutcomeStatus.RETRYING],
        ).exclude(pk__in=[outcome.pk for outcome in created])
        replayed = replay_outcomes(undelivered, by=by)
        cleared = {"routing_failures": 0, "error": ""} if event.routing_failures else {}
        # A routed event keeps its status (its outcomes stand); the others take today's.
        status = EventStatus.ROUTED if event.status == EventStatus.ROUTED else routing.status
        Event.objects.filter(pk=event.pk).update(
            status=status, routing=found, routed_at=now, **cleared
        )
    return len(created) + replayed
