"""The routing table as a worker process keeps it: every route with its destination,
loaded once and reused until it changes. Inactive routes are in it too, so that an
event's verdicts (apps.routing.verdicts) name them; only active ones can match.

Reading the routes was a database query per routing batch. Now a batch costs one Redis
GET: saves and deletes of routes and destinations set a new version in Redis after their
transaction commits, and a process reloads when the version it holds is not current.
MAX_AGE_SECONDS bounds what a change made without the signal (a raw UPDATE) can go
unseen. With no version in Redis (a flushed database) nothing is cached.

The table holds configuration only. A destination's health (failures, the breaker's
rest) changes with every failed delivery; it is read from the row by the delivery path
(apps.delivery.health), so a flapping destination does not make every worker reload."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections import defaultdict

import redis
from django.db import transaction

from apps.core.models import Route
from apps.core.redis import get_redis

VERSION_KEY = "rc:routes:version"
MAX_AGE_SECONDS = 5.0

_lock = threading.Lock()
_cached: tuple[bytes, float, dict[int, list[Route]]] | None = None


def changed() -> None:
    """Call where routes or destinations change: the workers reload after the commit."""
    transaction.on_commit(_bump)


def _bump() -> None:
    # If Redis is away, the workers see the change within MAX_AGE_SECONDS anyway.
    # A random version, not a counter: a counter restarted by a flushed Redis could land
    # on a number some process still holds.
    with contextlib.suppress(redis.RedisError):
        get_redis().set(VERSION_KEY, uuid.uuid4().hex)


def _load() -> dict[int, list[Route]]:
    table: dict[int, list[Route]] = defaultdict(list)
    routes = (
        Route.objects.all()
        .select_related("destination", "transformation")
        .order_by("-priority", "id")
    )
    for route in routes:
        table[route.source_id].append(route)
    return table


def routes_of(source_ids: set[int]) -> dict[int, list[Route]]:
    """Each source's active routes, highest priority first (then oldest)."""
    every = all_routes_of(source_ids)
    return {key: [route for route in found if route.is_active] for key, found in every.items()}


def all_routes_of(source_ids: set[int]) -> dict[int, list[Route]]:
    """Each source's routes, inactive ones included, highest priority first (then oldest)."""
    global _cached
    version = get_redis().get(VERSION_KEY)
    now = time.monotonic()
    with _lock:
        cached = _cached
    if (
        version is not None
        and cached is not None
        and cached[0] == version
        and now - cached[1] < MAX_AGE_SECONDS
    ):
        table = cached[2]
    else:
        table = _load()
        if version is not None:
            with _lock:
                _cached = (version, now, table)
    return {source_id: table.get(source_id, []) for source_id in source_ids}
