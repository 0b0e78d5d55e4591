"""Destination health: consecutive failures, the breaker's rest, the last success.

Health is read from the destination's row, never from the workers' routing table
(apps.routing.table): it changes with every failed delivery, and when it travelled inside
the table each failure made every worker reload all its routes. The table now changes
only with configuration; a routing batch reads its destinations' health in one query
(`fresh`), a claimed retry gets it with the outcome's own read.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F

from apps.core.models import Destination
from apps.delivery.rules import Attempted

FIELDS = ("consecutive_failures", "disabled_until", "last_success_at")
# A run of successes writes the row again once the last success noted is this old.
REFRESH = timedelta(seconds=10)


def fresh(destinations: Iterable[Destination]) -> dict[int, Destination]:
    """Copies of these destinations (the routing table's, shared by every batch of the
    process) with their health as the rows hold it now: one query."""
    by_id = {destination.pk: destination for destination in destinations}
    if not by_id:
        return {}
    current = dict(by_id)
    for pk, *values in Destination.objects.filter(pk__in=by_id).values_list("pk", *FIELDS):
        destination = current[pk] = copy.copy(by_id[pk])
        for name, value in zip(FIELDS, values, strict=True):
            setattr(destination, name, value)
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
            rows.update(consecutive_failures=0, last_success_at=now, disabled_until=None)
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
