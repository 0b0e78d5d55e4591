"""The delivery rules, one copy of each, for the one path that runs (apps.delivery.batch).

new_outcomes    an event's outcomes for its matched routes (routing, re-routing)
unsendable      why nothing may be sent for an outcome any more (deleted configuration)
end_refused     an outcome of an event refused at ingest is dead-lettered, never sent
send            transform and POST one outcome; touches no database (sender threads)
decide          after an attempt: delivered, retrying (and when), dead-lettered, or
                filtered (the route's transformation skipped the event: no attempt row)
attempt_row     the attempt's record, with the request as sent (masked: recorded.py)
update_finished the outcome's row after an attempt that did not simply succeed
released_status what a claim given back without an attempt returns to
schedule        queue outcomes for a time, on a broker countdown when that is near
busy_delay      when to look again at a destination whose lane is full

Destination health (the breaker) is apps.delivery.health. A claim is a conditional
UPDATE with a lease (apps.core.storage), so duplicate task messages never send the same
attempt twice, and a claim whose worker died is taken back by the dispatcher.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from apps.core import storage, task_names
from apps.core.logs import log_event
from apps.core.models import (
    Attempt,
    Destination,
    ErrorKind,
    Event,
    Outcome,
    OutcomeStatus,
    Route,
)
from apps.core.queue import enqueue_on_commit
from apps.delivery import http_client, policy, recorded
from apps.delivery.outbound import build_request
from apps.delivery.recorded import SentRequest
from apps.delivery.refused import NEVER_DELIVERED, refusal
from apps.transformers.base import TransformError, UnknownTransformer
from apps.transformers.dispatch import Filtered, failure_message

# The attempt lines keep the logger name they had before this module existed: log
# pipelines filter on it (apps/monitoring/logging.py shows one such line).
logger = logging.getLogger("apps.delivery.pipeline")
# Retries sooner than this ride on a broker countdown; later ones wait for the dispatcher
# (an ETA held longer than the broker's visibility timeout would be delivered twice).
COUNTDOWN_LIMIT_SECONDS = 300.0
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
    error_kind: str = ""  # an ErrorKind, set where the failure is known
    request: SentRequest | None = None  # what was sent, masked; None when nothing was
    response_headers: dict[str, str] = field(default_factory=dict)  # bounded

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def kind(self) -> str:
        """The failure's ErrorKind ("" for a success or a skip): the Issue it counts in."""
        if self.ok or self.filtered:
            return ""
        return self.error_kind or ErrorKind.OTHER


def permanent(message: str) -> Attempted:
    """An attempt that sent nothing and will not be retried."""
    return Attempted(None, 0.0, "", message, retryable=False, retry_after=None, sent=False)


def lease_until(now: datetime, timeout: float) -> datetime:
    return now + timedelta(seconds=timeout + settings.DELIVERY_LEASE_GRACE_SECONDS)


def new_outcomes(
    event: Event,
    routes: Iterable[Route],
    now: datetime,
    *,
    claimed: bool = False,
    destinations: Mapping[int, Destination] | None = None,
    keys: Mapping[int, str] | None = None,
) -> list[Outcome]:
    """The event's outcomes for these routes (not saved), due now. Claimed ones are made
    DELIVERING with a lease, for the worker that routed them to send at once. A route's
    destination is taken from `destinations` when given (with its current health), its
    ordering key's value from `keys` (route id -> value, read before the transaction)."""
    outcomes = []
    for route in routes:
        destination = (destinations or {}).get(route.destination_id, route.destination)
        outcomes.append(
            Outcome(
                event=event,
                route=route,
                destination=destination,
                status=OutcomeStatus.DELIVERING if claimed else OutcomeStatus.PENDING,
                next_attempt_at=now,
                lease_expires_at=lease_until(now, destination.timeout_seconds) if claimed else None,
                ordering_key=(keys or {}).get(route.pk, ""),
                event_received_at=event.received_at,
            )
        )
    return outcomes


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
    Outcome.objects.filter(pk=outcome.pk, status__in=storage.CLAIMABLE).update(
        status=OutcomeStatus.DEAD_LETTERED,
        next_attempt_at=None,
        last_error=reason,
        updated_at=timezone.now(),
    )
    log_event(logger, "delivery.refused_event", logging.WARNING, outcome_id=outcome.pk)
    return True


def deleted_config(outcome: Outcome) -> str | None:
    """Why nothing may be sent for this outcome any more, if its route or destination
    was deleted (soft-deleted, or cleared by a delete from before deletes were soft)."""
    if outcome.route is None or outcome.route.deleted_at is not None:
        return "its route was deleted"
    if outcome.destination is None or outcome.destination.deleted_at is not None:
        return "its destination was deleted"
    return None


def unsendable(outcome: Outcome) -> str | None:
    """Why this claimed outcome ends now without a request: its configuration is gone.
    (An inactive or paused destination's outcomes are held: apps.delivery.holding.)"""
    return deleted_config(outcome)


def schedule(outcome_ids: list[int], when: datetime) -> None:
    """Queue these outcomes to run together at `when` (after the transaction commits);
    one further off is left to the dispatcher."""
    delay = (when - timezone.now()).total_seconds()
    if outcome_ids and delay <= COUNTDOWN_LIMIT_SECONDS:
        enqueue_on_commit(task_names.DELIVER_OUTCOMES, outcome_ids, countdown=max(delay, 0))


def busy_delay(destination: Destination) -> timedelta:
    """When to look again at a destination whose lane is full. A place frees when a
    request ends, within the destination's timeout; spreading the retries over about
    that long keeps a slow destination's backlog from spinning the workers."""
    seconds = min(max(destination.timeout_seconds, 1.0), 60.0) * random.uniform(0.5, 1.5)
    return timedelta(seconds=seconds)


def send(outcome: Outcome) -> Attempted:
    """Transform and POST; touches no database (the sender's threads call it)."""
    try:
        request = build_request(outcome)
    except Filtered as exc:
        return Attempted(
            None, 0.0, "", str(exc), False, None, sent=False, filtered=True, shaped_by=exc.shaped_by
        )
    except TransformError as exc:
        failed = permanent(failure_message(outcome.route, exc))
        return replace(
            failed, shaped_by=getattr(exc, "shaped_by", None), error_kind=ErrorKind.TRANSFORM_ERROR
        )
    except UnknownTransformer:
        failed = permanent(f"unknown transformer {outcome.route.transformer!r}")
        return replace(failed, error_kind=ErrorKind.TRANSFORM_ERROR)
    destination = outcome.destination
    result = http_client.send(
        destination.url,
        request.body,
        request.headers,
        destination.timeout_seconds,
        pool=destination.pk,
    )
    return Attempted(
        result.status_code,
        result.duration_ms,
        result.response_body,
        result.error,
        result.retryable,
        result.retry_after,
        shaped_by=request.shaped_by,
        error_kind=result.error_kind,
        request=recorded.sent_request(
            destination, result.request_headers or request.headers, request.body
        ),
        response_headers=recorded.kept_response_headers(result.response_headers),
    )


def released_status(outcome: Outcome) -> str:
    """What a claim given back without an attempt returns to."""
    return OutcomeStatus.RETRYING if outcome.attempt_count else OutcomeStatus.PENDING


def attempt_row(outcome: Outcome, result: Attempted, now: datetime) -> Attempt:
    """The attempt's record (not saved), `now` being when it ended."""
    return Attempt(
        outcome_id=outcome.pk,
        destination_id=outcome.destination_id,
        number=outcome.total_attempts + 1,
        started_at=now - timedelta(milliseconds=result.duration_ms),
        duration_ms=result.duration_ms,
        status_code=result.status_code,
        # A NUL in the answer would make PostgreSQL refuse the whole batch of rows.
        response_body=recorded.storable(result.response_body[:4096]),
        error=recorded.storable(result.error[:2000]),
        transformation_id=result.shaped_by[0] if result.shaped_by else None,
        transformation_version=result.shaped_by[1] if result.shaped_by else None,
        error_kind=result.kind,
        response_headers=result.response_headers,
        **_request_columns(result.request),
    )


def _request_columns(request: SentRequest | None) -> dict:
    if request is None:
        return {}
    return {
        "request_method": request.method,
        "request_url": request.url,
        "request_headers": request.headers,
        "request_body": request.body,
        "request_body_size": request.body_size,
        "request_body_truncated": request.body_truncated,
    }


def decide(outcome: Outcome, result: Attempted, now: datetime) -> tuple[str, datetime | None]:
    """Delivered, retrying (and when), dead-lettered or filtered, after this attempt."""
    count = outcome.attempt_count + 1
    if result.ok:
        return OutcomeStatus.DELIVERED, None
    if result.filtered:
        return OutcomeStatus.FILTERED, None
    if result.retryable and policy.attempts_left(count):
        delay = policy.backoff_seconds(count, result.retry_after)
        return OutcomeStatus.RETRYING, now + timedelta(seconds=delay)
    return OutcomeStatus.DEAD_LETTERED, None


def update_finished(
    outcome: Outcome, result: Attempted, status: str, next_at: datetime | None, now: datetime
) -> None:
    """The outcome's row after an attempt (inside the caller's transaction)."""
    counted = 0 if result.filtered else 1  # a skip is no attempt: the counts match the rows
    Outcome.objects.filter(pk=outcome.pk, status=OutcomeStatus.DELIVERING).update(
        status=status,
        attempt_count=outcome.attempt_count + counted,
        total_attempts=F("total_attempts") + counted,
        next_attempt_at=next_at,
        lease_expires_at=None,
        last_status_code=result.status_code,
        last_error="" if result.ok else result.error[:2000],
        delivered_at=now if result.ok else None,
        updated_at=now,
    )
    if next_at is not None:
        schedule([outcome.pk], next_at)


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
