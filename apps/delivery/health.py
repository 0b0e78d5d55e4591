"""Destination health: consecutive failures, the breaker's rest, the last success, and
auto-disable.

Auto-disable: a destination whose every attempt failed for DESTINATION_AUTO_DISABLE_SECONDS
(since `failing_since`, the first failure of the run) and at least
DESTINATION_AUTO_DISABLE_FAILURES times in a row (0: never) is switched off
(`is_active` false, `disabled_at`, `disabled_reason`) and its waiting outcomes are held
(apps.delivery.holding), never dead-lettered. Decided from the row, in the transaction
that records the failure, by a conditional UPDATE: two workers disable it once.

Health is read from the destination's row, never from the workers' routing table
(apps.routing.table): it changes with every failed delivery, and when it travelled inside
the table each failure made every worker reload all its routes. The table now changes
only with configuration; a routing batch reads its destinations' health in one query
(`fresh`), a claimed retry gets it with the outcome's own read.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, F, Value, When

from apps.core import storage
from apps.core.logs import log_event
from apps.core.models import Destination, Outcome
from apps.delivery import holding
from apps.delivery.rules import Attempted

logger = logging.getLogger(__name__)

# With the switches that hold its outcomes (is_active, paused): a routing batch must see
# a pause the moment it commits.
FIELDS = ("consecutive_failures", "disabled_until", "last_success_at", "is_active", "paused")
# A run of successes writes the row again once the last success noted is this old.
REFRESH = timedelta(seconds=10)


def fresh(destinations: Iterable[Destination]) -> dict[int, Destination]:
    """Copies of these destinations (the routing table's, shared by every batch of the
    process) with their health as the rows hold it now: one query."""
    by_id = {destination.pk: destination for destination in destinations}
    if not by_id:
        return {}
    current = dict(by_id)
    for row in storage.destinations_now(sorted(by_id), FIELDS):
        destination = current[row.pk] = copy.copy(by_id[row.pk])
        for name in FIELDS:
            setattr(destination, name, getattr(row, name))
    return current


def resting_until(destination: Destination, now: datetime) -> datetime | None:
    """Until when the breaker keeps this destination from being sent to, if it does."""
    until = destination.disabled_until
    return until if until and until > now else None


def record(destination: Destination, result: Attempted, now: datetime, failures: int = 1) -> None:
    """Keep the destination's health. Every delivery to a destination would otherwise
    write its one row, and all the worker threads would queue on that row's lock; so a
    success writes only when the health actually changes (or the last success noted is
    getting old)."""
    rows = Destination.objects.filter(pk=destination.pk)
    if result.ok:
        stale = destination.last_success_at is None or now - destination.last_success_at > (REFRESH)
        if destination.consecutive_failures or destination.disabled_until or stale:
            rows.update(
                consecutive_failures=0, failing_since=None, last_success_at=now, disabled_until=None
            )
        return
    threshold = settings.DESTINATION_BREAKER_THRESHOLD
    resting = threshold and destination.consecutive_failures + failures >= threshold
    rows.update(
        consecutive_failures=F("consecutive_failures") + failures,
        failing_since=Case(
            When(consecutive_failures=0, then=Value(now)),
            When(failing_since__isnull=True, then=Value(now)),
            default=F("failing_since"),
        ),
        last_failure_at=now,
        last_error=(result.error or f"HTTP {result.status_code}")[:2000],
        disabled_until=now + timedelta(seconds=settings.DESTINATION_BREAKER_SECONDS)
        if resting
        else None,
    )
    auto_disable(destination, now)


def auto_disable(destination: Destination, now: datetime) -> bool:
    """Disable the destination if its failing run has gone on long enough (see the
    module docstring); answers whether this call disabled it."""
    limit = settings.DESTINATION_AUTO_DISABLE_FAILURES
    if not limit:
        return False
    since = now - timedelta(seconds=settings.DESTINATION_AUTO_DISABLE_SECONDS)
    row = (
        Destination.objects.filter(
            pk=destination.pk,
            is_active=True,
            consecutive_failures__gte=limit,
            failing_since__lte=since,
        )
        .values("consecutive_failures", "failing_since", "last_error")
        .first()
    )
    if row is None:
        return False
    reason = disabled_reason(
        now - row["failing_since"], row["consecutive_failures"], row["last_error"]
    )
    disabled = Destination.objects.filter(pk=destination.pk, is_active=True).update(
        is_active=False, disabled_at=now, disabled_reason=reason, updated_at=now
    )
    if not disabled:
        return False
    held = holding.hold_waiting(
        Outcome.objects.filter(destination_id=destination.pk), "destination is disabled", now
    )
    log_event(
        logger,
        "destination.auto_disabled",
        logging.WARNING,
        destination_id=destination.pk,
        failures=row["consecutive_failures"],
        held=held,
    )
    return True


def disabled_reason(failing_for: timedelta, failures: int, last_error: str) -> str:
    return (
        f"failed every attempt for {duration_text(failing_for)} ({failures} in a row): "
        f"last error {last_error or 'unknown'}"
    )[:2000]


def duration_text(span: timedelta) -> str:
    """'3 days', '5 hours', '1 minute', '40 seconds': the largest whole unit."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"
