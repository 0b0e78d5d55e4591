"""Liveness of what ingest depends on: the database and Redis."""

from __future__ import annotations

import redis
from django.db import DatabaseError, connection

from apps.core.redis import get_redis


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def redis_state() -> str:
    try:
        get_redis().ping()
    except redis.RedisError as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def health() -> tuple[bool, dict[str, str]]:
    checks = {"database": database_state(), "redis": redis_state()}
    healthy = all(state == "ok" for state in checks.values())
    return healthy, {"status": "ok" if healthy else "unavailable", **checks}
