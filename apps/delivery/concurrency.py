"""A per-destination cap on requests in flight, so one slow destination cannot take
every worker thread. Slots are timestamped members of a sorted set: a slot held by a
worker that died expires on its own instead of leaking."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import redis

from apps.core.redis import get_redis

# KEYS[1]: the set. ARGV: token, cap, slot lifetime (s). Answers 1 when the slot is taken.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 1)
return 1
"""


@lru_cache(maxsize=4)
def _script(client: redis.Redis):
    return client.register_script(_ACQUIRE)


@contextmanager
def destination_slot(destination_id: int, cap: int, lifetime: float) -> Iterator[bool]:
    """Yields True when a slot was taken (and frees it afterwards), False when full."""
    client = get_redis()
    key = slot_key(destination_id)
    token = secrets.token_hex(8)
    taken = bool(_script(client)(keys=[key], args=[token, cap, lifetime]))
    try:
        yield taken
    finally:
        if taken:
            client.zrem(key, token)


# The same, for up to as many slots as tokens given. KEYS[1]: the set. ARGV: cap, slot
# lifetime (s), then the tokens. Answers how many were taken (the first ones).
_ACQUIRE_MANY = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local free = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1])
local taken = 0
for i = 3, #ARGV do
  if taken >= free then break end
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[i])
  taken = taken + 1
end
if taken > 0 then
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
end
return taken
"""


@lru_cache(maxsize=4)
def _script_many(client: redis.Redis):
    return client.register_script(_ACQUIRE_MANY)


def take_slots(destination_id: int, cap: int, lifetime: float, wanted: int) -> list[str]:
    """Up to `wanted` slots in one round trip; each token must be given back with
    free_slot() when its request ends."""
    if wanted <= 0:
        return []
    tokens = [secrets.token_hex(8) for _ in range(wanted)]
    taken = _script_many(get_redis())(
        keys=[slot_key(destination_id)], args=[cap, lifetime, *tokens]
    )
    return tokens[: int(taken)]


def free_slot(destination_id: int, token: str) -> None:
    get_redis().zrem(slot_key(destination_id), token)


def slot_key(destination_id: int) -> str:
    return f"rc:inflight:{destination_id}"
