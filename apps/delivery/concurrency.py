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


def slot_key(destination_id: int) -> str:
    return f"rc:inflight:{destination_id}"
