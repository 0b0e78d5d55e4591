"""The pipeline for many events or outcomes at once: the throughput path.

process_events: route a batch of stored events, evaluated outside any transaction, then
written in one short one (a few queries in all, not a few per event). Their outcomes are
created already claimed (DELIVERING, with a lease), so no second query claims them, and
go straight to deliver_claimed.
deliver_outcomes: claim a batch of due outcomes (retries, replays, the dispatcher) in one
UPDATE.
deliver_claimed: per destination, apply the breaker and the route rate limits, then hand
the outcomes to the sender's lane for that destination (apps.delivery.sender).
record_many: the sender's recorder writes finished attempts in bulk.

The single-outcome path (pipeline.deliver) stays for messages queued by earlier versions
and for the tests; both keep the same rules: a claim before a send, the attempt and the
outcome in one transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.core import bulk, ratelimit
from apps.core.logs import log_event
from apps.core.models import (
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
    Route,
)
from apps.delivery import pipeline, setaside
from apps.delivery.pipeline import Attempted
from apps.delivery.sender import Hooks, Sender
from apps.routing import table
from apps.routing.matching import RoutingError, routes_for

logger = logging.getLogger(__name__)
DELIVER_MANY_TASK = "apps.delivery.tasks.deliver_outcomes"
_CLAIMABLE = (OutcomeStatus.PENDING, OutcomeStatus.RETRYING)
LANE_WAIT_SECONDS = 5.0


def _lease(now: datetime, timeout: float) -> datetime:
    return now + timedelta(seconds=timeout + settings.DELIVERY_LEASE_GRACE_SECONDS)


def route_events(event_ids: list[int]) -> list[Outcome]:
    """Route the events still waiting; answers their outcomes, claimed and with event,
    route and destination attached.

    The routes are evaluated first, outside any transaction (user conditions must never
    run while a write lock is held: on SQLite that lock stops every ingest); then one
    short transaction claims the events still ``received`` (an event another worker got
    first is skipped), stores the outcomes and counts the failures. An event whose
    routing fails is set aside on its own (apps.delivery.setaside); the others go on.
    """
    now = timezone.now()
    events = list(
        Event.objects.select_related("source")
        .defer("source__secret", "source__previous_secret")  # only its slug is used
        .filter(pk__in=event_ids, status=EventStatus.RECEIVED)
        .order_by("pk")
    )
    if len(events) < len(event_ids):
        pipeline.log_refused_events(sorted(set(event_ids) - {e.pk for e in events}))
    if not events:
        return []
    routes = table.routes_of({event.source_id for event in events})
    matched: dict[int, list[Route]] = {}
    failed: list[tuple[Event, str]] = []
    for event in events:
        try:
            matched[event.pk] = routes_for(event, routes.get(event.source_id, []))
        except RoutingError as exc:
            failed.append((event, str(exc)))
    with transaction.atomic():
        claimed = _claim(matched, now)
        outcomes = [
            Outcome(
                event=event,
                route=route,
                destination=route.destination,
                status=OutcomeStatus.DELIVERING,
                next_attempt_at=now,
                lease_expires_at=_lease(now, route.destination.timeout_seconds),
            )
            for event in events
            if event.pk in claimed
            for route in matched[event.pk]
        ]
        bulk.insert(outcomes)
        for event, reason in failed:
            setaside.record_failure(event, reason)
    for event in events:
        if event.pk in matched:
            log_event(logger, "event.routed", event_id=event.pk)
    return outcomes


# The two UPDATEs every batch makes, as plain SQL: the ORM compiled them anew each time,
# about a sixth of a worker's Python time (docs/performance.md, change 13).
_EVENTS = Event._meta.db_table
_OUTCOMES = Outcome._meta.db_table


def _in(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _claim(matched: dict[int, list[Route]], now: datetime) -> set[int]:
    """Mark routed or no_route, in one statement, those events still received; answers
    their ids. One UPDATE, so that two workers lock overlapping batches in the same
    (index) order."""
    if not matched:
        return set()
    routed = [pk for pk, routes in matched.items() if routes]
    ids = list(matched)
    status, status_params = "%s", [str(EventStatus.NO_ROUTE)]
    if routed:
        status = f"CASE WHEN id IN ({_in(routed)}) THEN %s ELSE %s END"
        status_params = [*routed, str(EventStatus.ROUTED), str(EventStatus.NO_ROUTE)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_EVENTS} SET status = {status}, routed_at = %s "
            f"WHERE id IN ({_in(ids)}) AND status = %s RETURNING id",
            [
                *status_params,
                connection.ops.adapt_datetimefield_value(now),
                *ids,
                str(EventStatus.RECEIVED),
            ],
        )
        return {row[0] for row in cursor.fetchall()}


def _set_delivered(outcome_ids: list[int], status_code: int | None, now: datetime) -> None:
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_OUTCOMES} SET status = %s, attempt_count = attempt_count + 1, "
            "total_attempts = total_attempts + 1, next_attempt_at = NULL, "
            "lease_expires_at = NULL, last_status_code = %s, last_error = '', "
            f"delivered_at = %s, updated_at = %s WHERE id IN ({_in(outcome_ids)}) "
            "AND status = %s",
            [
                str(OutcomeStatus.DELIVERED),
                status_code,
                at,
                at,
                *outcome_ids,
                str(OutcomeStatus.DELIVERING),
            ],
        )


def claim_many(outcome_ids: list[int]) -> list[Outcome]:
    """Take the due ones among these outcomes: one read, one UPDATE ... RETURNING. A row
    another worker changed first is not returned, so no attempt is made twice."""
    now = timezone.now()
    candidates = [
        outcome
        for outcome in Outcome.objects.select_related(
            "event", "event__source", "route__transformation", "destination"
        ).filter(pk__in=outcome_ids, status__in=_CLAIMABLE)
        if (not outcome.next_attempt_at or outcome.next_attempt_at <= now + pipeline.SLACK)
        and not pipeline.end_refused(outcome)
    ]
    if not candidates:
        return []
    timeout = max(o.destination.timeout_seconds if o.destination else 0 for o in candidates)
    lease = _lease(now, timeout)
    ops = connection.ops
    ids = [outcome.pk for outcome in candidates]
    table = Outcome._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, lease_expires_at = %s, updated_at = %s "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND status IN (%s, %s) "
            "RETURNING id",
            [
                OutcomeStatus.DELIVERING,
                ops.adapt_datetimefield_value(lease),
                ops.adapt_datetimefield_value(now),
                *ids,
                *_CLAIMABLE,
            ],
        )
        taken = {row[0] for row in cursor.fetchall()}
    claimed = [outcome for outcome in candidates if outcome.pk in taken]
    for outcome in claimed:
        outcome.status, outcome.lease_expires_at, outcome.updated_at = (
            OutcomeStatus.DELIVERING,
            lease,
            now,
        )
    return claimed


def deliver_claimed(outcomes: list[Outcome]) -> None:
    groups: dict[int | None, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.destination_id].append(outcome)
    for group in groups.values():
        _deliver_group(group, timezone.now())


def _deliver_group(group: list[Outcome], now: datetime) -> None:
    destination = group[0].destination
    if destination is None or destination.deleted_at or not destination.is_active:
        for outcome in group:
            pipeline.deliver_claimed(outcome, now)  # records why it cannot be sent
        return
    if destination.disabled_until and destination.disabled_until > now:
        release_many(group, destination.disabled_until, "destination is resting")
        return
    allowed = []
    for outcome in group:
        route = outcome.route
        if route is None or route.deleted_at is not None:
            pipeline.deliver_claimed(outcome, now)  # records why it cannot be sent
            continue
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
    """Long enough for a busy destination's backlog, short enough that an outcome that
    starts at the end of it still ends before its lease (timeout + grace) runs out."""
    return min(LANE_WAIT_SECONDS, settings.DELIVERY_LEASE_GRACE_SECONDS / 2)


def give_back(outcomes: list[Outcome]) -> None:
    """Outcomes that waited too long in their destination's lane: later."""
    groups: dict[int | None, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.destination_id].append(outcome)
    for group in groups.values():
        when = timezone.now() + pipeline.busy_delay(group[0].destination)
        release_many(group, when, "busy")


def release_many(outcomes: list[Outcome], when: datetime, why: str) -> None:
    """Give claims back without counting an attempt, to run again together at `when`."""
    now = timezone.now()
    with transaction.atomic():
        for status in (OutcomeStatus.PENDING, OutcomeStatus.RETRYING):
            ids = [o.pk for o in outcomes if pipeline.released_status(o) == status]
            if ids:
                Outcome.objects.filter(pk__in=ids, status=OutcomeStatus.DELIVERING).update(
                    status=status, next_attempt_at=when, lease_expires_at=None, updated_at=now
                )
        pipeline.schedule([o.pk for o in outcomes], when)
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
    health: dict[int, tuple[Outcome, Attempted, int]] = {}
    for outcome, raw in results:
        result = _as_attempt(raw)
        status, next_at = pipeline.decide(outcome, result, now)
        if not result.filtered:  # a skip by the transformation is not an attempt
            attempts.append(pipeline.attempt_row(outcome, result, now))
        if status == OutcomeStatus.DELIVERED:
            delivered[result.status_code].append(outcome.pk)
        else:
            others.append((outcome, result, status, next_at))
        finished.append((outcome, result, status))
        if outcome.destination_id is not None and result.sent:
            # The last result decides; failures before it in this batch are counted.
            _, _, failures = health.get(outcome.destination_id, (None, None, 0))
            health[outcome.destination_id] = (outcome, result, 0 if result.ok else failures + 1)
    with transaction.atomic():
        bulk.insert(attempts)
        for status_code, ids in delivered.items():
            _set_delivered(ids, status_code, now)
        for outcome, result, status, next_at in others:
            pipeline.update_finished(outcome, result, status, next_at, now)
        for outcome, result, failures in health.values():
            pipeline.record_health(outcome.destination, result, now, failures=max(failures, 1))
    for outcome, result, status in finished:
        pipeline.log_attempt(outcome, result, status)


_sender: Sender | None = None


def sender() -> Sender:
    global _sender
    if _sender is None:
        hooks = Hooks(pipeline.send, record_many, give_back, _cap, _max_wait)
        _sender = Sender(hooks, settings.DELIVERY_SENDER_THREADS)
    return _sender


def wait_idle(timeout: float = 30.0) -> bool:
    return _sender.wait_idle(timeout) if _sender is not None else True


def close_connection() -> None:
    if _sender is not None:
        _sender.close_connection()
