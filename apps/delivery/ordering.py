"""Ordered delivery: one ordering key's outcomes go one after another, in receipt order.

An outcome of a route with an ordering key carries the event's value of that key
(apps.routing.ordering; "" = unordered, and nothing here touches it). The outcomes of
one (route, value) form a line, in event id order (the order of receipt). At any moment
only the first unfinished one of a line may be pending, retrying, delivering or held;
each later one is ``waiting``, with ``waiting_for`` naming the one before it. Unfinished
means anything but delivered, filtered and dead-lettered; a dead letter counts as
unfinished too (it blocks its key until replayed) when the route says so.

Where an outcome's place in its line is decided, always under the line's lock
(apps.core.storage.lock_ordering_keys), taken before the transaction writes anything:

routing    ``place``: a new outcome waits if an earlier one of its key is unfinished,
           or if an earlier event of its source is not routed yet (it may have the same
           key; routing runs in parallel, so a later event can be routed first)
finishing  ``wake_after`` (apps.delivery.batch.record_many, same transaction): the
           outcomes that waited for one that finished are looked at again
sweeping   ``sweep`` (the dispatcher's beat) and ``wake_unrouted`` (after routing):
           waiting outcomes whose predecessor is finished, gone or was never known

Looking again at a waiting outcome means finding afresh the last unfinished outcome
before it in its line: it waits for that one, or, when there is none and every earlier
event of its source is routed, it becomes pending, due now. So a wake-up that came
too early (its predecessor was retried) changes nothing, and one that was missed is
made good by the sweep. Retries, the breaker, pauses, the in-flight cap and a worker
dying mid-delivery (its lease runs out: retrying) all leave the first outcome first.
Two events whose requests overlapped in time have no order of receipt between them;
the one whose row committed first may go first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import BigIntegerField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from apps.core import storage, task_names
from apps.core.logs import log_event
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.core.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
BATCH = 1000
Line = tuple[int, str]  # (route id, ordering key)
FINISHED = (OutcomeStatus.DELIVERED, OutcomeStatus.FILTERED)  # never in a line


@dataclass(frozen=True)
class Waiter:
    """What deciding a waiting outcome's place needs of it."""

    pk: int
    event_id: int
    source_id: int
    route_id: int
    key: str
    blocks: bool  # its route lets a dead letter block the key
    waiting_for: int | None


def line_of(outcome: Outcome) -> Line | None:
    if not outcome.ordering_key or outcome.route_id is None:
        return None
    return outcome.route_id, outcome.ordering_key


def lock(outcomes: Iterable[Outcome]) -> None:
    """Lock the lines of these outcomes (the unordered have none) until commit."""
    storage.lock_ordering_keys([line for o in outcomes if (line := line_of(o))])


def lock_lines(lines: Iterable[Line]) -> None:
    storage.lock_ordering_keys(list(lines))


def finishes(outcome: Outcome, status: str) -> bool:
    """Whether an ordered outcome ending in `status` lets the next one of its key go."""
    if status in FINISHED:
        return True
    blocks = outcome.route is not None and outcome.route.ordering_dead_letter_blocks
    return status == OutcomeStatus.DEAD_LETTERED and not blocks


def _in_line(route_id: int, key: str, blocks: bool) -> QuerySet[Outcome]:
    """The unfinished outcomes of one line (written as the chain index's condition)."""
    rows = (
        Outcome.objects.filter(route_id=route_id, ordering_key=key)
        .exclude(ordering_key="")
        .exclude(status__in=FINISHED)
    )
    return rows if blocks else rows.exclude(status=OutcomeStatus.DEAD_LETTERED)


def _before(route_id: int, key: str, blocks: bool, event_id: int) -> int | None:
    """The last unfinished outcome of the line before this event, if any."""
    earlier = _in_line(route_id, key, blocks).filter(event_id__lt=event_id)
    return earlier.order_by("-event_id").values_list("pk", flat=True).first()


def _unrouted_before(source_id: int, event_id: int) -> bool:
    """Whether an earlier event of the source is still to be routed."""
    return Event.objects.filter(
        source_id=source_id, status=EventStatus.RECEIVED, pk__lt=event_id
    ).exists()


def place(outcomes: list[Outcome]) -> list[Outcome]:
    """Make those of these new outcomes (inserted in this transaction, their lines
    locked) that must wait ``waiting``; answers them. The rest keep the status they were
    made with (claimed, pending or held)."""
    lines: dict[Line, list[Outcome]] = {}
    for outcome in outcomes:
        if line := line_of(outcome):
            lines.setdefault(line, []).append(outcome)
    behind: dict[int, int | None] = {}
    waiting = []
    for (route_id, key), new in sorted(lines.items()):
        new.sort(key=lambda o: o.event_id)
        blocks = new[0].route.ordering_dead_letter_blocks
        previous = _before(route_id, key, blocks, new[0].event_id)
        if previous is None and _unrouted_before(new[0].event.source_id, new[0].event_id):
            behind[new[0].pk] = None
            waiting.append(new[0])
        elif previous is not None:
            behind[new[0].pk] = previous
            waiting.append(new[0])
        for earlier, outcome in zip(new, new[1:], strict=False):
            behind[outcome.pk] = earlier.pk
            waiting.append(outcome)
    if behind:
        _set_waiting(behind)
    for outcome in waiting:
        outcome.status, outcome.lease_expires_at = OutcomeStatus.WAITING, None
        outcome.waiting_for_id = behind[outcome.pk]
    return waiting


def _set_waiting(behind: dict[int, int | None]) -> None:
    """Each of these outcomes waits for the one it names (None: for its source's earlier
    events to be routed): one UPDATE for those that name one, one for the others."""
    fields = {
        "status": OutcomeStatus.WAITING,
        "lease_expires_at": None,
        "next_attempt_at": None,
        "updated_at": timezone.now(),
    }
    named = {pk: target for pk, target in behind.items() if target is not None}
    unnamed = [pk for pk, target in behind.items() if target is None]
    if named:
        Outcome.objects.filter(pk__in=list(named)).update(
            waiting_for_id=Case(
                *[When(pk=pk, then=Value(target)) for pk, target in named.items()],
                output_field=BigIntegerField(),
            ),
            **fields,
        )
    if unnamed:
        Outcome.objects.filter(pk__in=unnamed).update(waiting_for_id=None, **fields)


def _waiters(outcomes: QuerySet[Outcome]) -> list[Waiter]:
    rows = outcomes.filter(status=OutcomeStatus.WAITING).values_list(
        "pk",
        "event_id",
        "event__source_id",
        "route_id",
        "ordering_key",
        "route__ordering_dead_letter_blocks",
        "waiting_for_id",
    )
    return [Waiter(*row) for row in rows.order_by("event_id")[:BATCH]]


def _decide(waiters: list[Waiter], now: datetime) -> list[int]:
    """Point each waiter at the outcome it waits for now, or make it pending, due now;
    answers those made pending (their tasks are queued on commit)."""
    released, behind = [], {}
    for waiter in waiters:
        previous = _before(waiter.route_id, waiter.key, waiter.blocks, waiter.event_id)
        if previous is None and not _unrouted_before(waiter.source_id, waiter.event_id):
            released.append(waiter.pk)
        elif previous != waiter.waiting_for:
            behind[waiter.pk] = previous
    if behind:
        _set_waiting(behind)
    if released:
        Outcome.objects.filter(pk__in=released, status=OutcomeStatus.WAITING).update(
            status=OutcomeStatus.PENDING,
            waiting_for_id=None,
            next_attempt_at=now,
            updated_at=now,
        )
        enqueue_on_commit(task_names.DELIVER_OUTCOMES, released)
        log_event(logger, "delivery.ordering.released", outcomes=len(released))
    return released


def wake_after(finished: list[Outcome], now: datetime | None = None) -> list[int]:
    """After these ordered outcomes finished, in the caller's transaction (their lines
    locked before it wrote): look again at those that waited for them."""
    if not finished:
        return []
    waiters = _waiters(Outcome.objects.filter(waiting_for_id__in=[o.pk for o in finished]))
    return _decide(waiters, now or timezone.now())


def settle(outcomes: QuerySet[Outcome], now: datetime | None = None) -> list[int]:
    """Look again at these waiting outcomes, in a transaction of its own that locks
    their lines first; answers those made pending."""
    now = now or timezone.now()
    candidates = _waiters(outcomes)
    if not candidates:
        return []
    with transaction.atomic():
        lock_lines((w.route_id, w.key) for w in candidates)
        # Read again under the locks: another worker may have moved them meanwhile.
        fresh = _waiters(Outcome.objects.filter(pk__in=[w.pk for w in candidates]))
        return _decide(fresh, now)


def wake_unrouted(route_ids: Iterable[int]) -> list[int]:
    """After routing: outcomes of these routes that waited for earlier events of their
    source to be routed (another worker's batch) may go now."""
    ids = list(route_ids)
    if not ids:
        return []
    return settle(
        Outcome.objects.filter(
            status=OutcomeStatus.WAITING, waiting_for__isnull=True, route_id__in=ids
        )
    )


def sweep(now: datetime | None = None) -> list[int]:
    """Waiting outcomes whose predecessor is finished or gone, or who wait for unrouted
    events: a wake-up that a crash or a race left out."""
    holding_back = Outcome.objects.filter(pk=OuterRef("waiting_for_id")).filter(
        ~Q(status__in=(*FINISHED, OutcomeStatus.DEAD_LETTERED))
        | Q(status=OutcomeStatus.DEAD_LETTERED, route__ordering_dead_letter_blocks=True)
    )
    stale = Outcome.objects.filter(status=OutcomeStatus.WAITING).filter(~Exists(holding_back))
    released = settle(stale, now)
    if released:
        log_event(logger, "delivery.ordering.swept", outcomes=len(released))
    return released
