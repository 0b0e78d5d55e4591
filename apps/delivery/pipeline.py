"""The worker side of the pipeline, as plain functions the Celery tasks call.

route_event: a stored event -> one Outcome per matching route (fan-out).
deliver: one outcome -> claim it, transform, POST, record the attempt, then decide:
delivered, retry later (the time is kept on the row), or dead-lettered.

A claim is a conditional UPDATE with a lease, so duplicate task messages (redelivery
after a worker died, the dispatcher re-sending) never send the same attempt twice, and
a claim whose worker died is taken back by the dispatcher once its lease runs out.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.core import ratelimit
from apps.core.logs import log_event
from apps.core.models import (
    Attempt,
    Destination,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
)
from apps.core.queue import enqueue_on_commit
from apps.delivery import http_client, policy, setaside
from apps.delivery.concurrency import destination_slot
from apps.delivery.outbound import build_request
from apps.delivery.refused import NEVER_DELIVERED, refusal
from apps.routing import table
from apps.routing.matching import RoutingError, matching_routes
from apps.transformers.base import TransformError
from apps.transformers.dispatch import Filtered, failure_message

logger = logging.getLogger(__name__)
DELIVER_MANY_TASK = "apps.delivery.tasks.deliver_outcomes"
# Retries sooner than this ride on a broker countdown; later ones wait for the dispatcher
# (an ETA held longer than the broker's visibility timeout would be delivered twice).
COUNTDOWN_LIMIT_SECONDS = 300.0
HEALTH_REFRESH = timedelta(seconds=10)


def route_event(event_id: int, *, keep_first: bool = False) -> list[int]:
    """Create the event's outcomes and queue their deliveries. With keep_first, the
    first (highest priority) is not queued: the caller delivers it at once, which saves
    a trip through the broker for the common one-route event.

    As in the batch path, the routes are evaluated before the transaction, and a failure
    is counted on the event (apps.delivery.setaside)."""
    now = timezone.now()
    event = (
        Event.objects.select_related("source")
        .filter(pk=event_id, status=EventStatus.RECEIVED)
        .first()
    )
    if event is None:
        log_refused_events([event_id])
        return []  # already routed, refused at ingest, or gone
    try:
        routes = matching_routes(event)
    except RoutingError as exc:
        with transaction.atomic():
            setaside.record_failure(event, str(exc))
        return []
    with transaction.atomic():
        status = EventStatus.ROUTED if routes else EventStatus.NO_ROUTE
        claimed = Event.objects.filter(pk=event.pk, status=EventStatus.RECEIVED).update(
            status=status, routed_at=now
        )
        if not claimed:
            return []  # another worker routed it meanwhile
        outcomes = Outcome.objects.bulk_create(
            [
                Outcome(
                    event=event,
                    route=route,
                    destination_id=route.destination_id,
                    next_attempt_at=now,
                )
                for route in routes
            ]
        )
        queued = [outcome.pk for outcome in (outcomes[1:] if keep_first else outcomes)]
        if queued:
            enqueue_on_commit(DELIVER_MANY_TASK, queued)
    log_event(logger, "event.routed", event_id=event_id, routes=len(routes))
    return [outcome.pk for outcome in outcomes]


def log_refused_events(event_ids: list[int]) -> None:
    """A routing message for an event refused at ingest is dropped, its status left as it
    is: ingest never queues one, so its arrival is worth a line in the log."""
    refused = Event.objects.filter(pk__in=event_ids, status__in=NEVER_DELIVERED)
    for event_id, status in refused.values_list("pk", "status"):
        log_event(
            logger, "event.refused_not_routed", logging.WARNING, event_id=event_id, status=status
        )


def end_refused(outcome: Outcome) -> bool:
    """An outcome whose event was refused at ingest (made before that rule held) is never
    sent: it is dead-lettered, with the reason, instead of being claimed."""
    reason = refusal(outcome.event.status)
    if reason is None:
        return False
    Outcome.objects.filter(
        pk=outcome.pk, status__in=[OutcomeStatus.PENDING, OutcomeStatus.RETRYING]
    ).update(
        status=OutcomeStatus.DEAD_LETTERED,
        next_attempt_at=None,
        last_error=reason,
        updated_at=timezone.now(),
    )
    log_event(logger, "delivery.refused_event", logging.WARNING, outcome_id=outcome.pk)
    return True


def schedule(outcome_ids: list[int], when: datetime) -> None:
    """Queue these outcomes to run together at `when` (after the transaction commits),
    through the batch path's lanes like every other delivery."""
    delay = (when - timezone.now()).total_seconds()
    if outcome_ids and delay <= COUNTDOWN_LIMIT_SECONDS:
        enqueue_on_commit(DELIVER_MANY_TASK, outcome_ids, countdown=max(delay, 0))


def claim(outcome_id: int, now: datetime) -> Outcome | None:
    """Take the outcome for one attempt if it is due and nobody else holds it.

    One read (with everything the attempt needs) and one conditional UPDATE: whoever
    changes the row first wins, any other copy of the task finds nothing to do.
    """
    outcome = (
        Outcome.objects.select_related(
            "event", "event__source", "route__transformation", "destination"
        )
        .filter(pk=outcome_id, status__in=[OutcomeStatus.PENDING, OutcomeStatus.RETRYING])
        .first()
    )
    if outcome is None or (outcome.next_attempt_at and outcome.next_attempt_at > now + SLACK):
        return None
    if end_refused(outcome):
        return None
    timeout = outcome.destination.timeout_seconds if outcome.destination else 0
    lease = now + timedelta(seconds=timeout + settings.DELIVERY_LEASE_GRACE_SECONDS)
    taken = Outcome.objects.filter(
        pk=outcome_id, status=outcome.status, updated_at=outcome.updated_at
    ).update(status=OutcomeStatus.DELIVERING, lease_expires_at=lease, updated_at=now)
    if not taken:
        return None
    outcome.status, outcome.lease_expires_at, outcome.updated_at = (
        OutcomeStatus.DELIVERING,
        lease,
        now,
    )
    return outcome


# A countdown may fire a little before the stored time; that is not worth a round trip.
SLACK = timedelta(milliseconds=250)


@dataclass(frozen=True)
class Attempted:
    status_code: int | None
    duration_ms: float
    response_body: str
    error: str
    retryable: bool
    retry_after: float | None
    sent: bool = True  # False when nothing reached the network (e.g. a transform failed)
    filtered: bool = False  # the route's transformation skipped the event: no attempt row
    shaped_by: tuple[int, int] | None = None  # (transformation id, version) that ran

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def deliver(outcome_id: int) -> str:
    """Make one attempt at an outcome. Answers what became of it (for logs and tests)."""
    now = timezone.now()
    outcome = claim(outcome_id, now)
    if outcome is None:
        return "skipped"
    return deliver_claimed(outcome, now)


def deliver_claimed(outcome: Outcome, now: datetime) -> str:
    """One attempt at an outcome this worker holds, sent from this thread."""
    try:
        return _attempt(outcome, now)
    except Exception:
        # Redis or the database failed under us: hand the outcome back to the schedule.
        _release(outcome, now + timedelta(seconds=5), "")
        raise


def _attempt(outcome: Outcome, now: datetime) -> str:
    route, destination = outcome.route, outcome.destination
    gone = deleted_config(outcome)
    if gone:
        return _finish(outcome, _permanent(gone))
    if not destination.is_active:
        return _finish(outcome, _permanent("destination is inactive"))
    if destination.disabled_until and destination.disabled_until > now:
        return _release(outcome, destination.disabled_until, "destination is resting")
    decision = ratelimit.take(f"route:{route.pk}", route.rate_limit_per_minute)
    if not decision.allowed:
        return _release(outcome, now + timedelta(seconds=decision.retry_after), "rate limited")
    lifetime = destination.timeout_seconds + settings.DELIVERY_LEASE_GRACE_SECONDS
    cap = settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION
    with destination_slot(destination.pk, cap, lifetime) as admitted:
        if not admitted:
            return _release(outcome, now + busy_delay(destination), "busy")
        return _finish(outcome, send(outcome))


def busy_delay(destination: Destination) -> timedelta:
    """When to look again at a destination whose slots are all taken. A slot frees when
    a request ends, within the destination's timeout; spreading the retries over about
    that long keeps a slow destination's backlog from spinning the workers."""
    seconds = min(max(destination.timeout_seconds, 1.0), 60.0) * random.uniform(0.5, 1.5)
    return timedelta(seconds=seconds)


def deleted_config(outcome: Outcome) -> str | None:
    """Why nothing may be sent for this outcome any more, if its route or destination
    was deleted (soft-deleted, or cleared by a delete from before deletes were soft)."""
    if outcome.route is None or outcome.route.deleted_at is not None:
        return "its route was deleted"
    if outcome.destination is None or outcome.destination.deleted_at is not None:
        return "its destination was deleted"
    return None


def _permanent(message: str) -> Attempted:
    return Attempted(None, 0.0, "", message, retryable=False, retry_after=None, sent=False)


def send(outcome: Outcome) -> Attempted:
    """Transform and POST; touches no database (the sender's threads call it too)."""
    try:
        request = build_request(outcome)
    except Filtered as exc:
        return Attempted(None, 0.0, "", str(exc), False, None, False, True, exc.shaped_by)
    except TransformError as exc:
        failed = _permanent(failure_message(outcome.route, exc))
        return replace(failed, shaped_by=getattr(exc, "shaped_by", None))
    except KeyError:
        return _permanent(f"unknown transformer {outcome.route.transformer!r}")
    destination = outcome.destination
    result = http_client.send(
        destination.url, request.body, request.headers, destination.timeout_seconds
    )
    return Attempted(
        result.status_code,
        result.duration_ms,
        result.response_body,
        result.error,
        result.retryable,
        result.retry_after,
        shaped_by=request.shaped_by,
    )


def _release(outcome: Outcome, when: datetime, why: str) -> str:
    """Give the claim back without counting an attempt, to run again at `when`."""
    with transaction.atomic():
        Outcome.objects.filter(pk=outcome.pk, status=OutcomeStatus.DELIVERING).update(
            status=released_status(outcome),
            next_attempt_at=when,
            lease_expires_at=None,
            updated_at=timezone.now(),
        )
        schedule([outcome.pk], when)
    if why:
        log_event(logger, "delivery.postponed", outcome_id=outcome.pk, reason=why)
    return f"postponed: {why}"


def released_status(outcome: Outcome) -> str:
    """What a claim given back without an attempt returns to."""
    return OutcomeStatus.RETRYING if outcome.attempt_count else OutcomeStatus.PENDING


def attempt_row(outcome: Outcome, result: Attempted, now: datetime) -> Attempt:
    """The attempt's record (not saved), `now` being when it ended."""
    return Attempt(
        outcome_id=outcome.pk,
        number=outcome.total_attempts + 1,
        started_at=now - timedelta(milliseconds=result.duration_ms),
        duration_ms=result.duration_ms,
        status_code=result.status_code,
        response_body=result.response_body[:4096],
        error=result.error[:2000],
        transformation_id=result.shaped_by[0] if result.shaped_by else None,
        transformation_version=result.shaped_by[1] if result.shaped_by else None,
    )


def decide(outcome: Outcome, result: Attempted, now: datetime) -> tuple[str, datetime | None]:
    """Delivered, retrying (and when), or dead-lettered, after this attempt."""
    count = outcome.attempt_count + 1
    if result.ok:
        return OutcomeStatus.DELIVERED, None
    if result.filtered:
        return OutcomeStatus.FILTERED, None
    if result.retryable and policy.attempts_left(count):
        delay = policy.backoff_seconds(count, result.retry_after)
        return OutcomeStatus.RETRYING, now + timedelta(seconds=delay)
    return OutcomeStatus.DEAD_LETTERED, None


def _finish(outcome: Outcome, result: Attempted) -> str:
    now = timezone.now()
    status, next_at = decide(outcome, result, now)
    with transaction.atomic():
        if not result.filtered:
            attempt_row(outcome, result, now).save()
        update_finished(outcome, result, status, next_at, now)
        if outcome.destination is not None and result.sent:
            record_health(outcome.destination, result, now)
    log_attempt(outcome, result, status)
    return status


def update_finished(
    outcome: Outcome, result: Attempted, status: str, next_at: datetime | None, now: datetime
) -> None:
    """The outcome's row after an attempt (inside the caller's transaction)."""
    Outcome.objects.filter(pk=outcome.pk, status=OutcomeStatus.DELIVERING).update(
        status=status,
        attempt_count=outcome.attempt_count + 1,
        total_attempts=F("total_attempts") + 1,
        next_attempt_at=next_at,
        lease_expires_at=None,
        last_status_code=result.status_code,
        last_error="" if result.ok else result.error[:2000],
        delivered_at=now if result.ok else None,
        updated_at=now,
    )
    if next_at is not None:
        schedule([outcome.pk], next_at)


def record_health(
    destination: Destination, result: Attempted, now: datetime, failures: int = 1
) -> None:
    """Keep the destination's health. Every delivery to a destination would otherwise
    write its one row, and all the worker threads would queue on that row's lock; so a
    success writes only when the health actually changes (or the last success noted is
    getting old)."""
    rows = Destination.objects.filter(pk=destination.pk)
    if result.ok:
        stale = destination.last_success_at is None or now - destination.last_success_at > (
            HEALTH_REFRESH
        )
        if destination.consecutive_failures or destination.disabled_until or stale:
            rows.update(consecutive_failures=0, last_success_at=now, disabled_until=None)
            table.changed()
        return
    threshold = settings.DESTINATION_BREAKER_THRESHOLD
    resting = threshold and destination.consecutive_failures + failures >= threshold
    rows.update(
        consecutive_failures=F("consecutive_failures") + failures,
        last_failure_at=now,
        last_error=(result.error or f"HTTP {result.status_code}")[:2000],
        disabled_until=now + timedelta(seconds=settings.DESTINATION_BREAKER_SECONDS)
        if resting
        else None,
    )
    table.changed()  # the workers' routing tables carry the health the breaker reads


def log_attempt(outcome: Outcome, result: Attempted, status: str) -> None:
    name = "delivery.attempt.succeeded" if result.ok else "delivery.attempt.failed"
    log_event(
        logger,
        name,
        logging.INFO if result.ok else logging.WARNING,
        outcome_id=outcome.pk,
        event_id=outcome.event_id,
        destination_id=outcome.destination_id,
        status_code=result.status_code,
        duration_ms=round(result.duration_ms, 1),
        outcome=status,
        error=result.error or None,
    )
