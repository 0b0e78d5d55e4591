"""The ingest guards that need Redis, in one round trip: the source's rate limit, then
the atomic first-seen check (SET NX EX) of the idempotency key. A refused request
takes no key, so its retry is not mistaken for a duplicate."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings

from apps.core import ratelimit
from apps.core.redis import get_redis

# KEYS[1]: rate-limit prefix, KEYS[2]: idempotency key. ARGV: limit (0 = none), window,
# key TTL. Answers {allowed, wait ms, first seen}.
_ADMIT = (
    ratelimit.WINDOW_FUNCTION
    + """
local limit = tonumber(ARGV[1])
if limit > 0 then
  local allowed, wait_ms = window_hit(KEYS[1], limit, tonumber(ARGV[2]))
  if allowed == 0 then
    return {0, wait_ms, 0}
  end
end
if redis.call('SET', KEYS[2], 1, 'NX', 'EX', tonumber(ARGV[3])) then
  return {1, 0, 1}
end
return {1, 0, 0}
"""
)


@dataclass(frozen=True)
class Admission:
    allowed: bool  # False: over the source's rate limit
    retry_after: float
    first_seen: bool  # False: a duplicate


@lru_cache(maxsize=4)
def _script(client: redis.Redis):
    return client.register_script(_ADMIT)


def redis_key(source_id: int, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"rc:idem:{source_id}:{digest}"


def admit(source_id: int, rate_limit_per_minute: int, key: str) -> Admission:
    allowed, wait_ms, fresh = _script(get_redis())(
        keys=[ratelimit.key_prefix(f"source:{source_id}"), redis_key(source_id, key)],
        args=[rate_limit_per_minute, 60, settings.IDEMPOTENCY_TTL_SECONDS],
    )
    return Admission(bool(allowed), wait_ms / 1000, bool(fresh))


def release(source_id: int, key: str) -> None:
    """Forget a key whose event could not be stored, so the producer's retry is accepted."""
    get_redis().delete(redis_key(source_id, key))
