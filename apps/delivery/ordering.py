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
           outcomes that waited for one that finished are looked at again; those let
           go are claimed and sent by the caller at once, not through the broker
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
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
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


@dataclass(frozen=True)
class Point:
    """A place in a line: before this event of this route's key."""

    route_id: int
    key: str
    blocks: bool
    event_id: int
    source_id: int


def _unfinished(point: Point) -> Q:
    line = Q(route_id=point.route_id, ordering_key=point.key, event_id__lt=point.event_id)
    if not point.blocks:
        line &= ~Q(status=OutcomeStatus.DEAD_LETTERED)
    return line


def _last_before(points: list[Point]) -> dict[Point, int | None]:
    """For each point, the last unfinished outcome of its line before it: on PostgreSQL
    one statement (apps.core.storage.last_unfinished); elsewhere two queries for points
    on lines of their own, one for all lines with several."""
    if connection.vendor == "postgresql":
        found_ids = storage.last_unfinished(
            [(p.route_id, p.key, p.event_id, p.blocks) for p in points]
        )
        return dict(zip(points, found_ids, strict=True))
    found: dict[Point, int | None] = dict.fromkeys(points)
    per_line: dict[Line, list[Point]] = {}
    for point in points:
        per_line.setdefault((point.route_id, point.key), []).append(point)
    single = [group[0] for group in per_line.values() if len(group) == 1]
    found.update(_last_before_shared([g for g in per_line.values() if len(g) > 1]))
    if not single:
        return found
    where = Q()
    for point in single:
        where |= _unfinished(point)
    unfinished = Outcome.objects.exclude(ordering_key="").exclude(status__in=FINISHED)
    last = {
        (row["route_id"], row["ordering_key"]): row["last"]
        for row in unfinished.filter(where)
        .values("route_id", "ordering_key")
        .annotate(last=Max("event_id"))
        .order_by()
    }
    if not last:
        return found
    keyed = Q()
    for (route_id, _), event_id in last.items():
        keyed |= Q(route_id=route_id, event_id=event_id)
    ids = {
        (route_id, key): pk
        for pk, route_id, key in Outcome.objects.filter(keyed).values_list(
            "pk", "route_id", "ordering_key"
        )
    }
    for point in single:
        found[point] = ids.get((point.route_id, point.key))
    return found


def _last_before_shared(groups: list[list[Point]]) -> dict[Point, int | None]:
    """_last_before for lines with several points (a wake-up after routing that raced
    others leaves a few per line): one query reads each line's unfinished outcomes up
    to its last point, and each point takes the last one before it."""
    if not groups:
        return {}
    where = Q()
    for group in groups:
        where |= _unfinished(max(group, key=lambda point: point.event_id))
    unfinished = Outcome.objects.exclude(ordering_key="").exclude(status__in=FINISHED)
    rows: dict[Line, list[tuple[int, int]]] = {}
    for event_id, pk, route_id, key in unfinished.filter(where).values_list(
        "event_id", "pk", "route_id", "ordering_key"
    ):
        rows.setdefault((route_id, key), []).append((event_id, pk))
    found: dict[Point, int | None] = {}
    for group in groups:
        line = sorted(rows.get((group[0].route_id, group[0].key), []))
        for point in group:
            at = bisect_left(line, (point.event_id, 0))
            found[point] = line[at - 1][1] if at else None
    return found


def _first_unrouted(source_ids: set[int]) -> dict[int, int]:
    """Each source's earliest event still to be routed (sources with none are absent)."""
    rows = (
        Event.objects.filter(source_id__in=source_ids, status=EventStatus.RECEIVED)
        .values("source_id")
        .annotate(first=Min("pk"))
        .order_by()
    )
    return {row["source_id"]: row["first"] for row in rows}


def _unrouted_before(first: dict[int, int], point: Point) -> bool:
    """Whether an earlier event of the point's source is still to be routed."""
    return first.get(point.source_id, point.event_id) < point.event_id


def place(outcomes: list[Outcome]) -> list[Outcome]:
    """Make those of these new outcomes (inserted in this transaction, their lines
    locked) that must wait ``waiting``; answers them. The rest keep the status they were
    made with (claimed, pending or held)."""
    lines: dict[Line, list[Outcome]] = {}
    for outcome in outcomes:
        if line := line_of(outcome):
            lines.setdefault(line, []).append(outcome)
    if not lines:
        # No ordered route: building the two lookups below, even empty ones that never
        # reach the database, took 7 % of a worker's GIL time at 100 events/s.
        return []
    for new in lines.values():
        new.sort(key=lambda o: o.event_id)
    heads = {
        line: Point(
            *line, new[0].route.ordering_dead_letter_blocks, new[0].event_id, new[0].event.source_id
        )
        for line, new in lines.items()
    }
    previous = _last_before(list(heads.values()))
    first = _first_unrouted({point.source_id for point in heads.values()})
    behind: dict[int, int | None] = {}
    waiting = []
    for line, new in sorted(lines.items()):
        head = heads[line]
        if previous[head] is not None or _unrouted_before(first, head):
            behind[new[0].pk] = previous[head]
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


def _decide(waiters: list[Waiter], now: datetime, *, queue: bool) -> list[int]:
    """Point each waiter at the outcome it waits for now, or make it pending, due now;
    answers those made pending. `queue`: their task is queued on commit (else the caller
    sends them itself, and the dispatcher finds them if it fails to)."""
    if not waiters:
        return []
    points = {w.pk: Point(w.route_id, w.key, w.blocks, w.event_id, w.source_id) for w in waiters}
    previous = _last_before(list(points.values()))
    first = _first_unrouted({point.source_id for point in points.values()})
    released, behind = [], {}
    for waiter in waiters:
        before = previous[points[waiter.pk]]
        if before is None and not _unrouted_before(first, points[waiter.pk]):
            released.append(waiter.pk)
        elif before != waiter.waiting_for:
            behind[waiter.pk] = before
    if behind:
        _set_waiting(behind)
    if released:
        Outcome.objects.filter(pk__in=released, status=OutcomeStatus.WAITING).update(
            status=OutcomeStatus.PENDING,
            waiting_for_id=None,
            next_attempt_at=now,
            updated_at=now,
        )
        if queue:
            enqueue_on_commit(task_names.DELIVER_OUTCOMES, released)
        log_event(logger, "delivery.ordering.released", outcomes=len(released))
    return released


def wake_after(finished: list[Outcome], now: datetime | None = None) -> list[int]:
    """After these ordered outcomes finished, in the caller's transaction (their lines
    locked before it wrote): look again at those that waited for them."""
    if not finished:
        return []
    waiters = _waiters(Outcome.objects.filter(waiting_for_id__in=[o.pk for o in finished]))
    return _decide(waiters, now or timezone.now(), queue=False)


def _not_held_back(waiters: list[Waiter]) -> list[Waiter]:
    """Those of these waiters that no earlier unrouted event of their source holds back,
    read without any lock. One held back stays as it is, whatever it waits for: the
    routing of that event wakes it (wake_unrouted, after its commit, reads afresh), or
    the sweep does. So while ingest runs ahead of routing, the wake-up after each routed
    batch takes no line lock (each one took nearly every key's lock, and the routing of
    every batch queued behind it). Those kept are decided again under their locks."""
    if not waiters:
        return []
    first = _first_unrouted({w.source_id for w in waiters})
    return [w for w in waiters if first.get(w.source_id, w.event_id) >= w.event_id]


def settle(
    outcomes: QuerySet[Outcome], now: datetime | None = None, *, queue: bool = True
) -> list[int]:
    """Look again at these waiting outcomes, in a transaction of its own that locks
    their lines first; answers those made pending."""
    now = now or timezone.now()
    candidates = _not_held_back(_waiters(outcomes))
    if not candidates:
        return []
    with transaction.atomic():
        lock_lines((w.route_id, w.key) for w in candidates)
        # Read again under the locks: another worker may have moved them meanwhile.
        fresh = _waiters(Outcome.objects.filter(pk__in=[w.pk for w in candidates]))
        return _decide(fresh, now, queue=queue)


def wake_unrouted(route_ids: Iterable[int]) -> list[int]:
    """After routing: outcomes of these routes that waited for earlier events of their
    source to be routed (another worker's batch) may go now; the caller sends them."""
    ids = list(route_ids)
    if not ids:
        return []
    return settle(
        Outcome.objects.filter(
            status=OutcomeStatus.WAITING, waiting_for__isnull=True, route_id__in=ids
        ),
        queue=False,
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
