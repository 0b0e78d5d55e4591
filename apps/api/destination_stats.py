"""One destination's figures over a window (1 h, 24 h or 7 d), for its dashboard page.

Every figure over the window is read from one range of the attempts' (destination,
started_at) index: attempts, how many succeeded, the latency percentiles and the recent
errors. The 7-day window reads its closed hours from Beat's roll-ups instead
(apps/monitoring/destination_hours.py; percentiles estimated within 5 %), and the
attempts of the hours around them. Held and dead-lettered outcomes are counted now, on
the outcomes' (destination, status) index, whatever the window.

The percentiles are continuous (interpolated between the two nearest attempts), as
PostgreSQL's percentile_cont computes them. SQLite has no such aggregate: there the one
or two attempts around each rank are read by an ordered OFFSET query, which gives the
same value without loading the window's durations into Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet
from django.utils import timezone

from apps.core.models import Attempt, Destination, Outcome, OutcomeStatus
from apps.monitoring.destination_hours import week_figures

WINDOWS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}
DEFAULT_WINDOW = "24h"
RECENT_ERRORS = 10
# Read from Beat's hourly roll-ups (their percentiles within 5 %), not the attempts.
ROLLED_WINDOWS = ("7d",)
SUCCEEDED = Q(status_code__gte=200, status_code__lt=300)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, fraction: float) -> None:
        super().__init__(expression)
        self.extra["fraction"] = float(fraction)


@dataclass(frozen=True)
class Window:
    key: str
    since: datetime
    until: datetime


def window(key: str, now: datetime | None = None) -> Window:
    """The window named `key` (one of WINDOWS), ending now."""
    until = now or timezone.now()
    return Window(key, until - WINDOWS[key], until)


def attempts_in(destination: Destination, span: Window) -> QuerySet[Attempt]:
    return Attempt.objects.filter(
        destination_id=destination.pk, started_at__gte=span.since, started_at__lte=span.until
    ).order_by()


def counted(attempts: QuerySet[Attempt], fractions: tuple[float, ...]) -> tuple[int, int, list]:
    """The window's attempts, how many succeeded, and the durations (ms) at each fraction
    (continuous; None for an empty window). On PostgreSQL one pass over the window, read
    from the index alone (it carries duration and status code): two passes through the
    table took 1.4 s for a week of 43,000 attempts (docs/performance.md, "Growth")."""
    # Counting a column of the index (the id is not in it).
    figures = {"total": Count("started_at"), "ok": Count("started_at", filter=SUCCEEDED)}
    if connection.vendor == "postgresql":
        for i, fraction in enumerate(fractions):
            figures[f"p{i}"] = PercentileCont("duration_ms", fraction)
        found = attempts.aggregate(**figures)
        return found["total"], found["ok"], [found[f"p{i}"] for i in range(len(fractions))]
    found = attempts.aggregate(**figures)
    total = found["total"]
    ranked = [_ranked(attempts, total, f) if total else None for f in fractions]
    return total, found["ok"], ranked


def _ranked(attempts: QuerySet[Attempt], count: int, fraction: float) -> float:
    position = fraction * (count - 1)
    low = math.floor(position)
    durations = attempts.order_by("duration_ms").values_list("duration_ms", flat=True)
    pair = list(durations[low : low + 2])
    if len(pair) == 1 or position == low:
        return pair[0]
    return pair[0] + (position - low) * (pair[1] - pair[0])


def recent_errors(attempts: QuerySet[Attempt]) -> list[dict[str, Any]]:
    """The newest failed attempts of the window, newest first."""
    failed = (
        attempts.exclude(SUCCEEDED)
        .select_related("outcome")
        .order_by("-started_at", "-id")[:RECENT_ERRORS]
    )
    return [
        {
            "at": attempt.started_at,
            "status_code": attempt.status_code,
            "error": attempt.error,
            "event": attempt.outcome.event_id,
            "outcome": attempt.outcome_id,
        }
        for attempt in failed
    ]


def outcome_counts(destination: Destination) -> dict[str, int]:
    found = Outcome.objects.filter(
        destination_id=destination.pk,
        status__in=[OutcomeStatus.HELD, OutcomeStatus.DEAD_LETTERED],
    ).aggregate(  # of a column of the (destination, status) index: read from it alone
        held=Count("status", filter=Q(status=OutcomeStatus.HELD)),
        dead_letters=Count("status", filter=Q(status=OutcomeStatus.DEAD_LETTERED)),
    )
    return {"held": found["held"], "dead_letters": found["dead_letters"]}


def destination_stats(destination: Destination, span: Window) -> dict[str, Any]:
    attempts = attempts_in(destination, span)
    rolled = None
    if span.key in ROLLED_WINDOWS:
        rolled = week_figures(destination, span.since, span.until, (0.5, 0.95))
    total, delivered, (p50, p95) = rolled or counted(attempts, (0.5, 0.95))
    return {
        "window": span.key,
        "since": span.since,
        "until": span.until,
        "attempts": total,
        "delivered": delivered,
        "failed": total - delivered,
        "success_rate": delivered / total if total else None,
        "p50_ms": p50,
        "p95_ms": p95,
        **outcome_counts(destination),
        "recent_errors": recent_errors(attempts),
        "health": destination,
    }
