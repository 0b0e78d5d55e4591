"""Requests refused for their signature past SIG_FAILED_RECORDS_PER_MINUTE (or past the
source's SIG_FAILED_BYTES_PER_HOUR of kept body) leave no event row, so Redis counts
them: in all (the /metrics counter), by hour (the dashboard's last 24 hours) and by
minute (the notifications' burst window, apps/notifications/evaluate.py).
Counting never changes the answer: with Redis away, the request still gets its 401 and
the count is lost."""

from __future__ import annotations

import contextlib
import time

import redis
from django.conf import settings

from apps.core.redis import get_redis

TOTAL = "rc:sig-failed:unstored"
HOURLY = "rc:sig-failed:unstored:hour:"
MINUTELY = "rc:sig-failed:unstored:minute:"
HOUR = 3600
DAY_HOURS = 24
MINUTE = 60


def _hour_key(hour: int) -> str:
    return f"{HOURLY}{hour}"


def count_unstored(source_id: int, now: float | None = None) -> None:
    hour = int((now or time.time()) // HOUR)
    with contextlib.suppress(redis.RedisError):
        pipe = get_redis().pipeline(transaction=False)
        pipe.hincrby(TOTAL, str(source_id), 1)
        pipe.hincrby(_hour_key(hour), str(source_id), 1)
        pipe.expire(_hour_key(hour), (DAY_HOURS + 1) * HOUR)
        minute_key = f"{MINUTELY}{int((now or time.time()) // MINUTE)}"
        pipe.hincrby(minute_key, str(source_id), 1)
        pipe.expire(minute_key, 2 * HOUR)
        pipe.execute()


BODY_BYTES = "rc:sig-failed:bytes:"


def take_body_bytes(source_id: int, nbytes: int, now: float | None = None) -> bool:
    """Count `nbytes` of sig_failed body against the source's budget for this hour;
    False (and nothing kept) once SIG_FAILED_BYTES_PER_HOUR would be passed. Raises
    RedisError: the caller decides what Redis being away means."""
    hour = int((now or time.time()) // HOUR)
    key = f"{BODY_BYTES}{source_id}:{hour}"
    pipe = get_redis().pipeline(transaction=False)
    pipe.incrby(key, nbytes)
    pipe.expire(key, 2 * HOUR)
    total, _ = pipe.execute()
    if total > settings.SIG_FAILED_BYTES_PER_HOUR:
        # Give the bytes back: a later small refusal may still fit.
        get_redis().decrby(key, nbytes)
        return False
    return True


def unstored_totals() -> dict[int, int] | None:
    """By source id since Redis began keeping them; None while Redis is away."""
    try:
        found = get_redis().hgetall(TOTAL)
    except redis.RedisError:
        return None
    return {int(source_id): int(n) for source_id, n in found.items()}


def unstored_last_day(now: float | None = None) -> dict[int, int]:
    """By source id, this hour and the 23 before it (one round trip); empty while Redis
    is away."""
    hour = int((now or time.time()) // HOUR)
    try:
        pipe = get_redis().pipeline(transaction=False)
        for back in range(DAY_HOURS):
            pipe.hgetall(_hour_key(hour - back))
        hours = pipe.execute()
    except redis.RedisError:
        return {}
    counts: dict[int, int] = {}
    for found in hours:
        for source_id, n in found.items():
            counts[int(source_id)] = counts.get(int(source_id), 0) + int(n)
    return counts


def unstored_recent(seconds: float, now: float | None = None) -> dict[int, int]:
    """By source id, in the minutes that cover the last `seconds` (up to two hours); empty
    while Redis is away."""
    now = now or time.time()
    last = int(now // MINUTE)
    first = int((now - min(seconds, 2 * HOUR)) // MINUTE)
    try:
        pipe = get_redis().pipeline(transaction=False)
        for minute in range(first, last + 1):
            pipe.hgetall(f"{MINUTELY}{minute}")
        minutes = pipe.execute()
    except redis.RedisError:
        return {}
    counts: dict[int, int] = {}
    for found in minutes:
        for source_id, n in found.items():
            counts[int(source_id)] = counts.get(int(source_id), 0) + int(n)
    return counts
