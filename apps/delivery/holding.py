"""Held outcomes: pause, resume, disable and enable.

An outcome is ``held`` while its destination is inactive (switched off by hand, or by
auto-disable in apps.delivery.health) or paused, or its route or its event's source is
paused. Held means nothing is sent and nothing is counted: no attempt, no breaker
failure, never a dead letter. Where an outcome becomes held:

routing       apps.delivery.batch.route_events stores the new outcomes held
claiming      apps.delivery.batch.claim_many holds a due outcome instead of claiming it
              (a retry or a dispatch that came due while paused waits there)
claimed       an outcome claimed just before the pause is given back held, no attempt
pausing       pausing or disabling holds the waiting outcomes (pending, retrying) at
              once, so that the held counts are right the moment the request answers

Pausing, resuming, disabling and enabling go through the model's save however it is
done (the API, a PATCH of `is_active`, the admin, relay_apply): the signal receivers
below hold and release. Auto-disable (an UPDATE) holds by calling `hold_waiting`.

Releasing is one UPDATE: the held outcomes that nothing holds any more become pending
(retrying if they had attempts), due at their event's receipt time, so the dispatcher
(which takes the due ones oldest first) queues them in receipt order, and the sender's
lanes keep the destination's usual in-flight cap. A retry whose backoff had not run out
keeps its time. A worker killed after that UPDATE loses nothing: the rows are committed
and the dispatcher finds them.

A paused source still accepts and stores its events (ingest answers 200), and they are
routed as usual, into held outcomes: nothing is sent until it resumes. (Leaving them
``received`` would have the sweeper spin on them, and hold back the events tally of
apps.monitoring.tallies, which counts only rows that no longer change.) So the routes
that apply are those of the moment each event arrived.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from apps.core import task_names
from apps.core.logs import log_event
from apps.core.models import (
    Destination,
    Event,
    Outcome,
    OutcomeStatus,
    Route,
    Source,
)
from apps.core.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
WAITING = (OutcomeStatus.PENDING, OutcomeStatus.RETRYING)


def hold_reason(
    route: Route | None, destination: Destination | None, source: Source | None = None
) -> str | None:
    """Why an outcome on this route, destination and source is held now, if it is."""
    if destination is not None and not destination.is_active:
        return "destination is disabled"
    if destination is not None and destination.paused:
        return "destination is paused"
    if route is not None and route.paused:
        return "route is paused"
    if source is not None and source.paused:
        return "source is paused"
    return None


def blocked() -> Q:
    """Outcomes (as a filter) whose destination, route or source keeps them held."""
    return (
        Q(destination__is_active=False)
        | Q(destination__paused=True)
        | Q(route__paused=True)
        | Q(event__source__paused=True)
    )


def outcomes_of(obj: Source | Destination | Route) -> QuerySet[Outcome]:
    if isinstance(obj, Source):
        return Outcome.objects.filter(event__source=obj)
    if isinstance(obj, Destination):
        return Outcome.objects.filter(destination=obj)
    return Outcome.objects.filter(route=obj)


def hold_waiting(outcomes: QuerySet[Outcome], reason: str, now: datetime | None = None) -> int:
    """Hold those of these outcomes waiting for an attempt; answers how many."""
    now = now or timezone.now()
    held = outcomes.filter(status__in=WAITING).update(
        status=OutcomeStatus.HELD, lease_expires_at=None, updated_at=now
    )
    if held:
        log_event(logger, "delivery.held", outcomes=held, reason=reason)
    return held


def hold_claimed(outcome_ids: list[int], reason: str) -> int:
    """Give claims back as held, without counting an attempt."""
    held = Outcome.objects.filter(pk__in=outcome_ids, status=OutcomeStatus.DELIVERING).update(
        status=OutcomeStatus.HELD, lease_expires_at=None, updated_at=timezone.now()
    )
    if held:
        log_event(logger, "delivery.held", outcomes=held, reason=reason)
    return held


def release(outcomes: QuerySet[Outcome], now: datetime | None = None) -> int:
    """Make these held outcomes due again, in receipt order, unless something else still
    holds them (a paused route of a resumed destination); answers how many."""
    now = now or timezone.now()
    received_at = Subquery(Event.objects.filter(pk=OuterRef("event_id")).values("received_at"))
    released = (
        outcomes.filter(status=OutcomeStatus.HELD)
        .exclude(blocked())
        .update(
            status=Case(
                When(attempt_count__gt=0, then=Value(OutcomeStatus.RETRYING)),
                default=Value(OutcomeStatus.PENDING),
            ),
            next_attempt_at=Case(
                When(next_attempt_at__gt=now, then=F("next_attempt_at")), default=received_at
            ),
            updated_at=now,
        )
    )
    if released:
        # The dispatcher now rather than at its next beat.
        enqueue_on_commit(task_names.DISPATCH_DUE)
        log_event(logger, "delivery.released", outcomes=released)
    return released


# -- changes of configuration --------------------------------------------------------
# Whatever flips `paused` or `is_active` (the API's pause/resume/enable, a PATCH, the
# admin, relay_apply, a shell) holds or releases through these two signal receivers
# (connected in apps.delivery.apps), so that no path can pause without holding.


def _blocked(model: type, paused: bool, is_active: bool) -> bool:
    # An inactive route matches nothing; only a destination holds while inactive.
    return paused or (model is Destination and not is_active)


def _flags_saved(update_fields: object) -> bool:
    # A save of other fields only (a secret's rotation) writes neither flag.
    return update_fields is None or bool({"paused", "is_active"} & set(update_fields))


def remember(sender: type, instance: Source | Destination | Route, raw: bool = False, **kw) -> None:
    """pre_save: note whether the stored row was paused or disabled."""
    instance._was_blocked = instance._was_active = None
    if raw or instance.pk is None or not _flags_saved(kw.get("update_fields")):
        return
    row = sender.all_objects.filter(pk=instance.pk).values("paused", "is_active").first()
    if row is not None:
        instance._was_blocked = _blocked(sender, row["paused"], row["is_active"])
        instance._was_active = row["is_active"]


def apply_change(sender: type, instance: Source | Destination | Route, **_: object) -> None:
    """post_save: hold what waits when it was paused or disabled, release what was held
    when it was resumed or enabled; `instance.released` says how many were released."""
    instance.released = 0
    was = getattr(instance, "_was_blocked", None)
    now = _blocked(sender, instance.paused, instance.is_active)
    if was is None or was == now:
        return
    outcomes = outcomes_of(instance)
    if now:
        hold_waiting(outcomes, f"{sender.__name__.lower()} is paused or disabled")
        return
    if sender is Destination and not instance._was_active:
        _fresh_start(instance)
    instance.released = release(outcomes)


def _fresh_start(destination: Destination) -> None:
    """Enabled again: its failure streak and auto-disable note are history."""
    fields = {
        "disabled_at": None,
        "disabled_reason": "",
        "consecutive_failures": 0,
        "failing_since": None,
        "disabled_until": None,
    }
    Destination.all_objects.filter(pk=destination.pk).update(**fields)
    for name, value in fields.items():
        setattr(destination, name, value)


def set_flag(obj: Source | Destination | Route, **fields: bool) -> int:
    """Pause, resume or enable through the model's save (the signals above hold or
    release; the routing table reloads; the audit log notes it); answers how many
    outcomes were released."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=[*fields, "updated_at"])
    return getattr(obj, "released", 0)
