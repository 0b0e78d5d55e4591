"""The Beat sample: what happened since the previous MetricPoint, and the state now."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    MetricPoint,
    Outcome,
    OutcomeStatus,
)
from apps.monitoring import tallies

WAITING = (OutcomeStatus.PENDING, OutcomeStatus.RETRYING, OutcomeStatus.DELIVERING)


def dead_letters_now() -> int:
    """The one definition of "dead letters" on the overview (its card, its chart) and in
    the samples: outcomes dead-lettered now, of any age, not replayed since."""
    return Outcome.objects.filter(status=OutcomeStatus.DEAD_LETTERED).count()


def event_counts(since: datetime, until: datetime) -> dict[str, int]:
    """The window's events by status, each count one range of an index read alone: all
    of them on (received_at), the rarer statuses on (status, received_at). One
    aggregate with a filter per status read every row of the window from the table
    (the dashboard polls it; docs/performance.md, "Growth")."""
    window = Event.objects.filter(received_at__gte=since, received_at__lt=until).order_by()
    found = {
        status: window.filter(status=status).count()
        for status in (
            EventStatus.DUPLICATE,
            EventStatus.SIG_FAILED,
            EventStatus.FILTERED,
            EventStatus.NO_ROUTE,
        )
    }
    total = window.count()
    return {
        "received": total - found[EventStatus.DUPLICATE] - found[EventStatus.SIG_FAILED],
        "duplicate": found[EventStatus.DUPLICATE],
        "sig_failed": found[EventStatus.SIG_FAILED],
        # Routes exist and none took the event, apart from: the source has no active route.
        "filtered": found[EventStatus.FILTERED],
        "no_route": found[EventStatus.NO_ROUTE],
    }


def attempt_counts(since: datetime, until: datetime) -> dict[str, int]:
    """By the attempts' start times: for a first sample, with no running count before it."""
    window = Attempt.objects.filter(started_at__gte=since, started_at__lt=until)
    ok = Q(status_code__gte=200, status_code__lt=300)
    return window.aggregate(total=Count("pk"), succeeded=Count("pk", filter=ok))


def attempts_since(previous: MetricPoint | None, since: datetime, now: datetime) -> dict[str, int]:
    """Attempts recorded since the previous sample, and the running counts for the next.

    The running counts come from the tallies, so a sample reads only recent rows; the
    attempts table has no index by time (it would cost every delivery a write)."""
    running = tallies.current("attempts")
    if previous is None or previous.attempts_seen is None:
        counted = _counted_by_time(since, now)
    else:
        counted = _recorded_after(previous, running)
    return {**counted, "seen": int(running.get("count", 0)), "ok_seen": int(running.get("ok", 0))}


def attempts_after(since: datetime, now: datetime) -> dict[str, int]:
    """Attempts recorded after `since`, for the dashboard's last day.

    The running count now minus the one the last sample at or before `since` kept: two
    small reads, where counting by start time scans the attempts table. Without such a
    sample (a gateway younger than the span, or one Beat does not run for), the attempts
    and deliveries are counted by time."""
    base = (
        MetricPoint.objects.filter(collected_at__lte=since, attempts_seen__isnull=False)
        .order_by("-collected_at")
        .first()
    )
    if base is None:
        return _counted_by_time(since, now)
    return _recorded_after(base, tallies.current("attempts"))


def _recorded_after(point: MetricPoint, running: tallies.Totals) -> dict[str, int]:
    # Never below zero: attempts go with their source when it is deleted.
    succeeded = max(int(running.get("ok", 0)) - (point.attempts_ok_seen or 0), 0)
    total = max(int(running.get("count", 0)) - (point.attempts_seen or 0), succeeded)
    return {"total": total, "succeeded": succeeded, "delivered": succeeded}


def _counted_by_time(since: datetime, now: datetime) -> dict[str, int]:
    delivered = Outcome.objects.filter(delivered_at__gte=since, delivered_at__lt=now)
    return {**attempt_counts(since, now), "delivered": delivered.count()}


def queue_depth() -> int:
    """Work not finished yet: events waiting to be routed and outcomes waiting to be sent."""
    unrouted = Event.objects.filter(status=EventStatus.RECEIVED).count()
    return unrouted + Outcome.objects.filter(status__in=WAITING).count()


def collect(now: datetime | None = None) -> MetricPoint:
    now = now or timezone.now()
    previous = MetricPoint.objects.order_by("-collected_at").first()
    default_since = now - timedelta(seconds=settings.METRICS_INTERVAL_SECONDS)
    since = previous.collected_at if previous else default_since
    interval = max((now - since).total_seconds(), 1.0)
    events = event_counts(since, now)
    attempts = attempts_since(previous, since, now)
    outcomes = Outcome.objects
    return MetricPoint.objects.create(
        collected_at=now,
        interval_seconds=interval,
        events_received=events["received"],
        events_duplicate=events["duplicate"],
        events_sig_failed=events["sig_failed"],
        deliveries_succeeded=attempts["delivered"],
        attempts_failed=attempts["total"] - attempts["succeeded"],
        dead_lettered=outcomes.filter(
            status=OutcomeStatus.DEAD_LETTERED, updated_at__gte=since, updated_at__lt=now
        ).count(),
        dead_letters_total=dead_letters_now(),
        queue_depth=queue_depth(),
        held=outcomes.filter(status=OutcomeStatus.HELD).count(),
        success_rate=attempts["succeeded"] / attempts["total"] if attempts["total"] else None,
        throughput_per_minute=events["received"] * 60 / interval,
        attempts_seen=attempts["seen"],
        attempts_ok_seen=attempts["ok_seen"],
    )
