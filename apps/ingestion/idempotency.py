"""The ingest guards that need Redis, in one round trip for a whole batch of requests:
each one's source rate limit, then the atomic first-seen check (SET NX EX) of its
idempotency key. A refused request takes no key, so its retry is not mistaken for a
duplicate."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings

from apps.core import ratelimit
from apps.core.redis import get_redis

# A batch of requests in one call (group commit, apps/ingestion/group_commit.py).
# KEYS: for request i, KEYS[2i-1] its rate-limit prefix and KEYS[2i] its idempotency
# key. ARGV[1]: window, ARGV[2]: key TTL, ARGV[2+i]: request i's limit (0 = none).
# Answers {allowed, wait ms, first seen} for each request, flat. The requests are taken
# in order, each atomically, so of two with one key in a batch only the first is new.
_ADMIT = (
    ratelimit.WINDOW_FUNCTION
    + """
local window, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local answers = {}
for i = 1, #KEYS / 2 do
  local limit = tonumber(ARGV[2 + i])
  local allowed, wait_ms = 1, 0
  if limit > 0 then
    allowed, wait_ms = window_hit(KEYS[2 * i - 1], limit, window)
  end
  local fresh = 0
  if allowed == 1 and redis.call('SET', KEYS[2 * i], 1, 'NX', 'EX', ttl) then
    fresh = 1
  end
  answers[#answers + 1] = allowed
  answers[#answers + 1] = wait_ms
  answers[#answers + 1] = fresh
end
return answers
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
    return admit_many([(source_id, rate_limit_per_minute, key)])[0]


def admit_many(requests: list[tuple[int, int, str]]) -> list[Admission]:
    """(source id, its rate limit per minute, idempotency key) for each request: one
    round trip for them all."""
    keys: list[str] = []
    for source_id, _, key in requests:
        keys += [ratelimit.key_prefix(f"source:{source_id}"), redis_key(source_id, key)]
    limits = [limit for _, limit, _ in requests]
    flat = _script(get_redis())(keys=keys, args=[60, settings.IDEMPOTENCY_TTL_SECONDS, *limits])
    return [
        Admission(bool(flat[i]), flat[i + 1] / 1000, bool(flat[i + 2]))
        for i in range(0, len(flat), 3)
    ]


def release(source_id: int, key: str) -> None:
    """Forget a key whose event could not be stored, so the producer's retry is accepted."""
    release_many([(source_id, key)])


def release_many(keys: list[tuple[int, str]]) -> None:
    """Forget these (source id, key) pairs in one round trip."""
    if keys:
        get_redis().delete(*(redis_key(source_id, key) for source_id, key in keys))
