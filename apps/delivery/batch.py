"""The one delivery path: many events or outcomes at once.

route_events: route a batch of stored events, evaluated outside any transaction, then
written in one short one (a few queries in all, not a few per event). Their outcomes are
created already claimed (DELIVERING, with a lease), so no second query claims them.
claim_many: claim a batch of due outcomes (retries, replays, the dispatcher) in one
UPDATE.
deliver_claimed: per destination, end what can no longer be sent, apply the breaker and
the route rate limits, then hand the outcomes to the sender's lane for that destination
(apps.delivery.sender), which caps the requests in flight per destination.
record_many: the sender's recorder writes finished attempts in bulk, and counts the
failures into their issues (one more statement, only for a batch with failures).

Ordered routes (apps.delivery.ordering) add three calls: routing puts new outcomes in
their key's line (some wait), record_many lets the next of each finished key go and
sends it at once, and routing wakes what waited for the batch's events to be routed.

The rules (decide, the attempt row, the outcome's row, health) are apps.delivery.rules
and apps.delivery.health; the statements, apps.core.storage. Every task, old names
included (apps.delivery.tasks), comes here.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import ratelimit, storage
from apps.core.logs import log_event
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus, Route
from apps.delivery import health, holding, ordering, rules, setaside
from apps.delivery.rules import Attempted
from apps.delivery.sender import Hooks, Sender
from apps.routing import table, verdicts
from apps.routing.matching import Routed, RoutingError, route_event
from apps.routing.ordering import keys_for

logger = logging.getLogger(__name__)
LANE_WAIT_SECONDS = 5.0
STRAGGLERS = 200  # other unrouted events of an ordered source one batch takes along


def route_events(event_ids: list[int]) -> list[Outcome]:
    """Route the events still waiting; answers their outcomes to send, claimed and with
    event, route and destination attached (those held by a pause are stored held, not
    answered).

    The routes are evaluated first, outside any transaction (user conditions must never
    run while a write lock is held: on SQLite that lock stops every ingest); then one
    short transaction claims the events still ``received`` (an event another worker got
    first is skipped), stores the outcomes and counts the failures. An event whose
    routing fails is set aside on its own (apps.delivery.setaside); the others go on.

    A source with an ordered route is routed one batch at a time on PostgreSQL: the
    batch takes the source's lock, then its earliest unrouted events along with its own
    (see _stragglers), and evaluates and stores them under that lock (a transaction
    that holds no row lock while it evaluates, so ingest never waits for it).
    """
    now = timezone.now()
    events = storage.received_events(event_ids)
    if len(events) < len(event_ids):
        rules.log_refused_events(sorted(set(event_ids) - {e.pk for e in events}))
    if not events:
        return []
    # Inactive routes too: each route of the source leaves its verdict on the event.
    routes = table.all_routes_of({event.source_id for event in events})
    ordered = _ordered_sources(events, routes)
    if ordered and storage.locks_sources():
        with transaction.atomic():
            storage.lock_sources(sorted(ordered))
            # The batch before ours under the lock may have routed some of ours.
            still = storage.still_received([event.pk for event in events])
            events = [event for event in events if event.pk in still]
            events += _stragglers(events, ordered, later_too=True)
            outcomes, held, matched = _route_and_store(sorted(events, key=_pk), routes, now)
    else:
        events += _stragglers(events, ordered)
        outcomes, held, matched = _route_and_store(sorted(events, key=_pk), routes, now)
    # Outcomes of another worker's batch that waited for these events to be routed go
    # out with this batch's.
    woken = ordering.wake_unrouted(
        {route.pk for found in routes.values() for route in found if route.ordering_key}
    )
    for event_id in matched:
        log_event(logger, "event.routed", event_id=event_id)
    if held:
        log_event(logger, "delivery.held", outcomes=held, reason="paused or disabled")
    sendable = [outcome for outcome in outcomes if outcome.status == OutcomeStatus.DELIVERING]
    return sendable + (claim_many(woken) if woken else [])


def _pk(event: Event) -> int:
    return event.pk


def _route_and_store(
    events: list[Event], routes: dict[int, list[Route]], now: datetime
) -> tuple[list[Outcome], int, list[int]]:
    """Evaluate these events' routes, then store the verdicts and outcomes in one short
    transaction; answers the outcomes, how many are held, and the events matched."""
    if not events:  # every one routed by the batch before ours under the source's lock
        return [], 0, []
    routings: dict[int, Routed] = {}
    keys: dict[int, dict[int, str]] = {}  # event id -> route id -> ordering key's value
    failed: list[tuple[Event, str]] = []
    for event in events:
        try:
            routings[event.pk] = route_event(event, routes.get(event.source_id, []))
            keys[event.pk] = keys_for(event, routings[event.pk].matched)
        except RoutingError as exc:
            routings.pop(event.pk, None)
            failed.append((event, str(exc)))
    matched: dict[int, list[Route]] = {pk: found.matched for pk, found in routings.items()}
    # The table holds configuration only: each destination's health, as of now.
    used = {
        route.destination_id: route.destination for found in matched.values() for route in found
    }
    destinations = health.fresh(used.values())
    paused_routes = _paused_routes({route.pk for found in matched.values() for route in found})
    with transaction.atomic():
        ordering.lock_lines((r, v) for found in keys.values() for r, v in found.items())
        claimed = storage.mark_routed(
            {
                pk: (found.status, verdicts.mark_paused(found.verdicts, paused_routes))
                for pk, found in routings.items()
            },
            now,
        )
        outcomes = [
            outcome
            for event in events
            if event.pk in claimed
            for outcome in rules.new_outcomes(
                event,
                matched[event.pk],
                now,
                claimed=True,
                destinations=destinations,
                keys=keys[event.pk],
            )
        ]
        held = _hold_new(outcomes, paused_routes)
        storage.insert(outcomes)
        ordering.place(outcomes)  # behind an earlier event of the same key: waiting
        for event, reason in failed:
            setaside.record_failure(event, reason)
    return outcomes, held, [event.pk for event in events if event.pk in matched]


def _ordered_sources(events: list[Event], routes: dict[int, list[Route]]) -> set[int]:
    """The sources of these events that have an ordered route."""
    return {
        event.source_id
        for event in events
        if any(route.ordering_key for route in routes.get(event.source_id, []))
    }


def _stragglers(events: list[Event], ordered: set[int], *, later_too: bool = False) -> list[Event]:
    """Other unrouted events of this batch's sources that have an ordered route: routed
    here too, oldest first, at most STRAGGLERS.

    An ordered outcome goes only once every earlier event of its source is routed
    (apps.delivery.ordering), so a batch that waits in a busy worker's prefetched queue
    held back every key of the source, for seconds. Whichever batch claims such an event
    first routes it; the other skips it (route_events claims only events still received).
    Without the source's lock (SQLite) only earlier events are taken: batches that run
    side by side would each evaluate the same later ones. Under it (`later_too`) the
    source's earliest are taken, whatever their place, so the batches queued behind it
    find theirs routed and finish at once. One whose routing failed before is left to
    the sweeper, which paces its retries."""
    last: dict[int, int] = {}
    for event in events:
        if event.source_id in ordered:
            last[event.source_id] = max(event.pk, last.get(event.source_id, 0))
    sources = ordered if later_too else set(last)
    if not sources:
        return []
    among = Q()
    for source_id in sources:
        among |= (
            Q(source_id=source_id) if later_too else Q(source_id=source_id, pk__lt=last[source_id])
        )
    ids = list(
        Event.objects.filter(among, status=EventStatus.RECEIVED, routing_failures=0)
        .exclude(pk__in=[event.pk for event in events])
        .order_by("pk")
        .values_list("pk", flat=True)[:STRAGGLERS]
    )
    return storage.received_events(ids) if ids else []


def _paused_routes(route_ids: set[int]) -> set[int]:
    """Which of these routes are paused, as the rows say now (the routing table may be
    a moment behind a pause)."""
    if not route_ids:
        return set()
    return storage.paused_routes(sorted(route_ids))


def _hold_new(outcomes: list[Outcome], paused_routes: set[int]) -> int:
    """Make new outcomes of a paused source or route, or of a paused or disabled
    destination, held (not claimed); answers how many."""
    held = 0
    for outcome in outcomes:
        if outcome.route_id in paused_routes or holding.hold_reason(
            None, outcome.destination, outcome.event.source
        ):
            outcome.status, outcome.lease_expires_at = OutcomeStatus.HELD, None
            held += 1
    return held


def claim_many(outcome_ids: list[int]) -> list[Outcome]:
    """Take the due ones among these outcomes: one read, one UPDATE ... RETURNING. A row
    another worker changed first is not returned, so no attempt is made twice."""
    now = timezone.now()
    due = [
        outcome
        for outcome in Outcome.objects.select_related(
            "event", "event__source", "route__transformation", "destination"
        ).filter(pk__in=outcome_ids, status__in=storage.CLAIMABLE)
        if (not outcome.next_attempt_at or outcome.next_attempt_at <= now + rules.SLACK)
        and not rules.end_refused(outcome)
    ]
    # Paused or disabled since it was scheduled: held, not attempted.
    held = [o.pk for o in due if holding.hold_reason(o.route, o.destination, o.event.source)]
    if held:
        holding.hold_waiting(Outcome.objects.filter(pk__in=held), "paused or disabled", now)
    # Oldest event first: the lanes send in this order (released outcomes keep theirs).
    kept = set(held)
    candidates = sorted(
        (o for o in due if o.pk not in kept), key=lambda o: (o.event.received_at, o.event_id)
    )
    if not candidates:
        return []
    timeout = max(o.destination.timeout_seconds if o.destination else 0 for o in candidates)
    lease = rules.lease_until(now, timeout)
    taken = storage.claim_outcomes([outcome.pk for outcome in candidates], lease, now)
    claimed = [outcome for outcome in candidates if outcome.pk in taken]
    for outcome in claimed:
        outcome.status, outcome.lease_expires_at, outcome.updated_at = (
            OutcomeStatus.DELIVERING,
            lease,
            now,
        )
    return claimed


def deliver_claimed(outcomes: list[Outcome]) -> None:
    """Send these claimed outcomes, each destination's through its lane."""
    groups: dict[int | None, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.destination_id].append(outcome)
    for group in groups.values():
        _deliver_group(group, timezone.now())


def _deliver_group(group: list[Outcome], now: datetime) -> None:
    """One destination's claimed outcomes: those that can no longer be sent end with
    their reason, those paused or disabled are given back held, a resting destination's
    wait for the breaker, a route over its rate limit waits its turn, and the rest go
    to the sender."""
    ended, held, sendable = [], [], []
    for outcome in group:
        why = rules.unsendable(outcome)
        if why:
            ended.append((outcome, rules.permanent(why)))
        elif holding.hold_reason(outcome.route, outcome.destination, outcome.event.source):
            held.append(outcome.pk)
        else:
            sendable.append(outcome)
    if ended:
        record_many(ended)
    if held:
        holding.hold_claimed(held, "paused or disabled")
    if not sendable:
        return
    group = sendable
    destination = group[0].destination
    resting = health.resting_until(destination, now)
    if resting:
        release_many(group, resting, "destination is resting")
        return
    allowed = []
    for outcome in group:
        route = outcome.route
        decision = ratelimit.take(f"route:{route.pk}", route.rate_limit_per_minute)
        if decision.allowed:  # free (no Redis) when the route has no limit
            allowed.append(outcome)
        else:
            later = now + timedelta(seconds=decision.retry_after)
            release_many([outcome], later, "rate limited")
    sender().submit(destination.pk, allowed)


def _cap(destination_id: int) -> int:
    return settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION


def _max_wait(destination_id: int) -> float:
    """Short enough that an outcome that starts at the end of its wait still ends before
    its lease (timeout + grace) runs out."""
    return settings.DELIVERY_LEASE_GRACE_SECONDS / 2


def _stuck_wait(destination_id: int) -> float:
    """How long outcomes wait behind a destination that answers nothing meanwhile."""
    return min(LANE_WAIT_SECONDS, _max_wait(destination_id))


def give_back(outcomes: list[Outcome]) -> None:
    """Outcomes that waited too long in their destination's lane: later."""
    groups: dict[int | None, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.destination_id].append(outcome)
    for group in groups.values():
        when = timezone.now() + rules.busy_delay(group[0].destination)
        release_many(group, when, "busy")


def release_many(outcomes: list[Outcome], when: datetime, why: str) -> None:
    """Give claims back without counting an attempt, to run again together at `when`."""
    now = timezone.now()
    with transaction.atomic():
        for status in (OutcomeStatus.PENDING, OutcomeStatus.RETRYING):
            ids = [o.pk for o in outcomes if rules.released_status(o) == status]
            if ids:
                Outcome.objects.filter(pk__in=ids, status=OutcomeStatus.DELIVERING).update(
                    status=status, next_attempt_at=when, lease_expires_at=None, updated_at=now
                )
        rules.schedule([o.pk for o in outcomes], when)
    log_event(logger, "delivery.postponed", outcomes=len(outcomes), reason=why)


def _as_attempt(result: object) -> Attempted:
    if isinstance(result, Attempted):
        return result
    return Attempted(None, 0.0, "", f"internal error: {result!r}", True, None, sent=False)


def record_many(results: list[tuple[Outcome, object]]) -> None:
    """Write finished attempts: one INSERT for the attempts, one UPDATE per status code
    for the delivered, one per outcome otherwise; destination health once per batch."""
    now = timezone.now()
    attempts = []
    delivered: dict[int | None, list[int]] = defaultdict(list)
    others: list[tuple[Outcome, Attempted, str, datetime | None]] = []
    finished: list[tuple[Outcome, Attempted, str]] = []
    latest: dict[int, tuple[Outcome, Attempted, int]] = {}  # per destination
    issues: dict[tuple[int, str], tuple[int, str, int | None]] = {}  # failures per issue
    for outcome, raw in results:
        result = _as_attempt(raw)
        status, next_at = rules.decide(outcome, result, now)
        if not result.filtered:  # a skip by the transformation is not an attempt
            attempts.append(rules.attempt_row(outcome, result, now))
        if status == OutcomeStatus.DELIVERED:
            delivered[result.status_code].append(outcome.pk)
        else:
            others.append((outcome, result, status, next_at))
        finished.append((outcome, result, status))
        if outcome.destination_id is not None and result.sent:
            # The last result decides; failures before it in this batch are counted.
            _, _, failures = latest.get(outcome.destination_id, (None, None, 0))
            latest[outcome.destination_id] = (outcome, result, 0 if result.ok else failures + 1)
        if result.kind and outcome.destination_id is not None:
            key = (outcome.destination_id, result.kind)
            seen = issues.get(key, (0, "", None))[0]
            issues[key] = (seen + 1, result.error, result.status_code)
    ordered = [(outcome, status) for outcome, _, status in finished if outcome.ordering_key]
    with transaction.atomic():
        ordering.lock(outcome for outcome, _ in ordered)  # before any write: no deadlock
        storage.insert(attempts)
        for status_code, ids in delivered.items():
            storage.set_delivered(ids, status_code, now)
        for outcome, result, status, next_at in others:
            rules.update_finished(outcome, result, status, next_at, now)
        for outcome, result, failures in latest.values():
            health.record(outcome.destination, result, now, failures=max(failures, 1))
        storage.upsert_issues(issues, now)
        # The next outcome of each key that this batch finished goes now.
        woken = ordering.wake_after([o for o, s in ordered if ordering.finishes(o, s)], now)
    for outcome, result, status in finished:
        rules.log_attempt(outcome, result, status)
    if woken:
        _send_now(woken)


def _send_now(outcome_ids: list[int]) -> None:
    """Outcomes that a finished one of their key let go: claimed and handed to the lanes
    at once, rather than after a trip through the broker (if this fails, the rows are
    committed pending and due: the dispatcher queues them)."""
    try:
        deliver_claimed(claim_many(outcome_ids))
    except Exception as exc:  # noqa: BLE001 - the caller's attempts are already written
        log_event(
            logger,
            "delivery.ordering.send_failed",
            logging.WARNING,
            outcomes=len(outcome_ids),
            error=repr(exc),
        )


_sender: Sender | None = None


def sender() -> Sender:
    global _sender
    if _sender is None:
        hooks = Hooks(rules.send, record_many, give_back, _cap, _max_wait, _stuck_wait)
        _sender = Sender(hooks, settings.DELIVERY_SENDER_THREADS)
    return _sender


def wait_idle(timeout: float = 30.0) -> bool:
    return _sender.wait_idle(timeout) if _sender is not None else True


def close_connection() -> None:
    if _sender is not None:
        _sender.close_connection()
