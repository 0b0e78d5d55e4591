"""Atomic first-seen check: Redis SET NX EX. The key expires after IDEMPOTENCY_TTL_SECONDS."""

from __future__ import annotations

import hashlib

from django.conf import settings

from apps.core.redis import get_redis


def redis_key(source_id: int, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"rc:idem:{source_id}:{digest}"


def claim(source_id: int, key: str) -> bool:
    """True the first time a key is seen for this source within the TTL."""
    return bool(
        get_redis().set(redis_key(source_id, key), 1, nx=True, ex=settings.IDEMPOTENCY_TTL_SECONDS)
    )


def release(source_id: int, key: str) -> None:
    """Forget a key whose event could not be stored, so the producer's retry is accepted."""
    get_redis().delete(redis_key(source_id, key))
