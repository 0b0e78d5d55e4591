"""One pooled Redis client per process for idempotency keys, rate limits and health."""

from __future__ import annotations

from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=1,
        socket_timeout=2,
        health_check_interval=30,
        max_connections=256,
    )


def get_redis() -> redis.Redis:
    return _client(settings.REDIS_URL)
