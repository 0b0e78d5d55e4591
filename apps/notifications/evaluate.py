"""The evaluator: what operators should be told, worked out apart from delivery.

A Beat task calls `evaluate()` every NOTIFY_INTERVAL_SECONDS. It reads what the
pipeline already keeps (destination rows, attempts, dead-lettered outcomes, refused
events and the Redis count of unstored refusals) and compares it with the NoticeState
rows, which hold what operators were last told. A difference is a change of state, and
emits one notice (apps/notifications/emit.py). The delivery path writes nothing for
this, so notifications can never slow or block a delivery.

Per destination (subject "destination:<id>")::

    told        now                                   notice
    ok          inactive                              destination.disabled
    ok          failing (threshold crossed)           destination.failing
    failing     a success since, under the threshold  destination.recovered
    disabled    active again                          destination.recovered

A destination already inactive when first seen is recorded without a notice (nothing
changed while we watched). Per (type, subject), a notice goes out at most once per
NOTIFY_DEBOUNCE_SECONDS: a change that comes sooner is not recorded as told, and is
told when the window ends if it still holds, so a flapping destination gives at most
one notice of each kind per window and the last one told is the truth.

The dead-letter digest counts a destination's outcomes dead-lettered since the last
digest, at most one every NOTIFY_DIGEST_SECONDS; a signature burst is NOTIFY_SIGNATURE_BURST
refusals on one source within NOTIFY_SIGNATURE_WINDOW_SECONDS, told once per burst.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.models import (
    Attempt,
    Destination,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
    Source,
)
from apps.ingestion import refusals
from apps.notifications import types
from apps.notifications.emit import body, emit, link
from apps.notifications.models import NoticeState

ON, OFF = "on", "off"
SAMPLE_IDS = 10


def evaluate(now: datetime | None = None) -> list[int]:
    """One pass over every live destination and source; answers the notifications made."""
    now = now or timezone.now()
    made: list[int] = []
    for destination in Destination.objects.all():
        made += destination_health(destination, now)
        made += dead_letter_digest(destination, now)
    unstored = refusals.unstored_recent(settings.NOTIFY_SIGNATURE_WINDOW_SECONDS, now.timestamp())
    for source in Source.objects.all():
        made += signature_burst(source, unstored.get(source.pk, 0), now)
    return made


# -- state rows and debounce -------------------------------------------------------------


def state_of(type_: str, subject: str, now: datetime, since: datetime | None = None) -> NoticeState:
    row, _ = NoticeState.objects.get_or_create(
        type=type_, subject=subject, defaults={"state": OFF, "since": since or now}
    )
    return row


def may_send(row: NoticeState, now: datetime, seconds: float | None = None) -> bool:
    window = settings.NOTIFY_DEBOUNCE_SECONDS if seconds is None else seconds
    return row.last_sent_at is None or (now - row.last_sent_at).total_seconds() >= window


def told(row: NoticeState, state: str, now: datetime, sent: bool = True) -> None:
    row.state, row.since = state, now
    if sent:
        row.last_sent_at = now
    row.save(update_fields=["state", "since", "last_sent_at"])


# -- destinations: failing, disabled, recovered ------------------------------------------


@dataclass(frozen=True)
class Health:
    failing: bool
    reason: str
    attempts: int
    failures: int


def destination_subject(destination: Destination) -> dict[str, Any]:
    return {"kind": "destination", "id": destination.pk, "name": destination.name}


def window_counts(destination: Destination, start: datetime) -> tuple[int, int]:
    """(attempts, failed attempts) to this destination since `start`."""
    found = Attempt.objects.filter(
        outcome__destination_id=destination.pk, started_at__gte=start
    ).aggregate(
        total=Count("id"),
        ok=Count("id", filter=Q(status_code__gte=200, status_code__lt=300)),
    )
    return found["total"], found["total"] - found["ok"]


def health(destination: Destination, counted_from: datetime, now: datetime) -> Health:
    """Whether the destination is over a failure threshold, on evidence after
    `counted_from` (failures from before it was re-enabled or recovered do not count)."""
    window_start = max(
        now - timedelta(seconds=settings.NOTIFY_FAILURE_WINDOW_SECONDS), counted_from
    )
    attempts, failures = window_counts(destination, window_start)
    fresh = destination.last_failure_at is not None and destination.last_failure_at > counted_from
    if fresh and destination.consecutive_failures >= settings.NOTIFY_FAILING_CONSECUTIVE:
        return Health(True, "consecutive_failures", attempts, failures)
    if (
        attempts >= settings.NOTIFY_FAILURE_MIN_ATTEMPTS
        and failures / attempts > settings.NOTIFY_FAILURE_RATIO
    ):
        return Health(True, "failure_ratio", attempts, failures)
    return Health(False, "", attempts, failures)


def is_disabled(destination: Destination) -> bool:
    """Read from the row alone, whoever turned it off (an operator today; auto-disable,
    when it lands, by the same row), so this is the one place that says "disabled"."""
    return not destination.is_active


def destination_health(destination: Destination, now: datetime) -> list[int]:
    subject = f"destination:{destination.pk}"
    # Failures since the destination was made count on the first look.
    failing = state_of(types.DESTINATION_FAILING, subject, now, destination.created_at)
    disabled = state_of(types.DESTINATION_DISABLED, subject, now)
    recovered = state_of(types.DESTINATION_RECOVERED, subject, now)
    if is_disabled(destination):
        if disabled.state == ON:
            return []
        if disabled.last_sent_at is None and failing.state == OFF and _first_look(disabled, now):
            told(disabled, ON, now, sent=False)  # inactive before we ever looked
            return []
        if not may_send(disabled, now):
            return []
        told(disabled, ON, now)
        return emit(disabled_notice(destination, now))
    if disabled.state == ON:
        if not may_send(recovered, now):
            return []
        since = disabled.since
        told(disabled, OFF, now, sent=False)
        told(failing, OFF, now, sent=False)
        told(recovered, ON, now)
        return emit(recovered_notice(destination, "disabled", since, now))
    state = health(destination, failing.since, now)
    if failing.state == OFF and state.failing:
        if not may_send(failing, now):
            return []
        told(failing, ON, now)
        return emit(failing_notice(destination, state, now))
    healed = destination.last_success_at is not None and destination.last_success_at > failing.since
    if failing.state == ON and healed and not state.failing:
        if not may_send(recovered, now):
            return []
        since = failing.since
        told(failing, OFF, now, sent=False)
        told(recovered, ON, now)
        return emit(recovered_notice(destination, "failing", since, now))
    return []


def _first_look(row: NoticeState, now: datetime) -> bool:
    # The row was made by this very pass (get_or_create sets `since` to now).
    return row.since == now


def failing_notice(destination: Destination, state: Health, now: datetime) -> dict[str, Any]:
    if state.reason == "consecutive_failures":
        why = f"{destination.consecutive_failures} consecutive failures"
    else:
        why = f"{state.failures} of its last {state.attempts} attempts failed"
    return body(
        types.DESTINATION_FAILING,
        destination_subject(destination),
        f"Destination {destination.name} is failing: {why}.",
        {"dashboard": link("/destinations")},
        {
            "reason": state.reason,
            "consecutive_failures": destination.consecutive_failures,
            "attempts_in_window": state.attempts,
            "failures_in_window": state.failures,
            "window_seconds": settings.NOTIFY_FAILURE_WINDOW_SECONDS,
            "last_error": destination.last_error,
            "last_failure_at": _iso(destination.last_failure_at),
            "last_success_at": _iso(destination.last_success_at),
        },
        now,
    )


def disabled_notice(destination: Destination, now: datetime) -> dict[str, Any]:
    return body(
        types.DESTINATION_DISABLED,
        destination_subject(destination),
        f"Destination {destination.name} is disabled: nothing is sent to it until it is "
        "enabled again.",
        {"dashboard": link("/destinations")},
        {
            "is_active": destination.is_active,
            "consecutive_failures": destination.consecutive_failures,
            "last_error": destination.last_error,
            "last_failure_at": _iso(destination.last_failure_at),
        },
        now,
    )


def recovered_notice(
    destination: Destination, after: str, since: datetime, now: datetime
) -> dict[str, Any]:
    what = "succeeds again" if after == "failing" else "is enabled again"
    return body(
        types.DESTINATION_RECOVERED,
        destination_subject(destination),
        f"Destination {destination.name} {what} (it was {after} since {since:%Y-%m-%d %H:%M} UTC).",
        {"dashboard": link("/destinations")},
        {
            "after": after,
            "since": _iso(since),
            "last_success_at": _iso(destination.last_success_at),
        },
        now,
    )


# -- dead letters ------------------------------------------------------------------------


def dead_letter_digest(destination: Destination, now: datetime) -> list[int]:
    subject = f"destination:{destination.pk}"
    row, made = NoticeState.objects.get_or_create(
        type=types.DEAD_LETTERS,
        subject=subject,
        defaults={"since": now - timedelta(seconds=settings.NOTIFY_DIGEST_SECONDS)},
    )
    if not may_send(row, now, settings.NOTIFY_DIGEST_SECONDS):
        return []
    dead = Outcome.objects.filter(
        destination_id=destination.pk,
        status=OutcomeStatus.DEAD_LETTERED,
        updated_at__gt=row.since,
        updated_at__lte=now,
    )
    count = dead.count()
    if not count:
        return []
    sample = list(dead.order_by("-updated_at").values_list("pk", flat=True)[:SAMPLE_IDS])
    start = row.since
    told(row, OFF, now)
    minutes = max(1, round((now - start).total_seconds() / 60))
    events = "event" if count == 1 else "events"
    notice = body(
        types.DEAD_LETTERS,
        destination_subject(destination),
        f"{count} {events} dead-lettered to {destination.name} in the last {minutes} minutes.",
        {
            "dashboard": link("/deliveries?outcome_status=dead_lettered"),
            "api": link(f"/api/outcomes/?destination={destination.pk}&status=dead_lettered"),
        },
        {
            "count": count,
            "window_start": _iso(start),
            "window_end": _iso(now),
            "outcome_ids": sample,
            "last_error": destination.last_error,
        },
        now,
    )
    return emit(notice)


# -- signature failures ------------------------------------------------------------------


def signature_burst(source: Source, unstored: int, now: datetime) -> list[int]:
    window = settings.NOTIFY_SIGNATURE_WINDOW_SECONDS
    stored = Event.objects.filter(
        source_id=source.pk,
        status=EventStatus.SIG_FAILED,
        received_at__gte=now - timedelta(seconds=window),
    ).count()
    count = stored + unstored
    row = state_of(types.SIGNATURE_FAILURES, f"source:{source.pk}", now)
    bursting = count >= settings.NOTIFY_SIGNATURE_BURST
    if not bursting:
        if row.state == ON:
            told(row, OFF, now, sent=False)
        return []
    if row.state == ON or not may_send(row, now):
        return []
    told(row, ON, now)
    notice = body(
        types.SIGNATURE_FAILURES,
        {"kind": "source", "id": source.pk, "name": source.name, "slug": source.slug},
        f"{count} requests to source {source.name} were refused for their signature in the "
        f"last {round(window / 60) or 1} minutes.",
        {"dashboard": link(f"/deliveries?source={source.pk}&status=sig_failed")},
        {
            "count": count,
            "stored": stored,
            "unstored": unstored,
            "window_seconds": window,
            "threshold": settings.NOTIFY_SIGNATURE_BURST,
        },
        now,
    )
    return emit(notice)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
