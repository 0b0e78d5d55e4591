"""Sliding-window rate limits in Redis, shared by sources (ingest) and routes (delivery).

The window is the classic two-bucket approximation: the previous minute's count,
weighted by how much of it still overlaps the window, plus the current minute's. It
costs one round trip and two small keys per limited thing, whatever the traffic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import redis

from apps.core.redis import get_redis

# A Lua function: one hit against the window at `prefix`. Answers allowed (1/0) and the
# milliseconds until a slot frees up. Other scripts (ingest's) include it.
WINDOW_FUNCTION = """
local function window_hit(prefix, limit, window)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
  local bucket = math.floor(now / window)
  local current_key = prefix .. ':' .. bucket
  local previous = tonumber(redis.call('GET', prefix .. ':' .. (bucket - 1)) or '0')
  local current = tonumber(redis.call('GET', current_key) or '0')
  local elapsed = (now - bucket * window) / window
  local estimate = previous * (1 - elapsed) + current
  if estimate >= limit then
    local wait
    if current < limit and previous > 0 then
      -- still inside this bucket: wait until the previous bucket's weight has faded enough
      wait = (1 - (limit - current) / previous - elapsed) * window
    else
      -- this bucket alone is full: wait for the next one, and for its weight to fade
      wait = (1 - elapsed) * window + window * (1 - limit / current)
    end
    return 0, math.max(math.ceil(wait * 1000), 1)
  end
  redis.call('INCR', current_key)
  redis.call('EXPIRE', current_key, window * 2 + 1)
  return 1, 0
end
"""

# KEYS[1]: key prefix. ARGV[1]: limit per window, ARGV[2]: window seconds.
_SLIDING_WINDOW = (
    WINDOW_FUNCTION
    + """
local allowed, wait_ms = window_hit(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
return {allowed, wait_ms}
"""
)


def key_prefix(key: str) -> str:
    return f"rc:rl:{key}"


@lru_cache(maxsize=4)
def _script(client: redis.Redis):
    return client.register_script(_SLIDING_WINDOW)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: float = 0.0


def take(key: str, limit_per_minute: int, window_seconds: int = 60) -> RateDecision:
    """Count one hit against `key`; 0 means unlimited and costs nothing."""
    if limit_per_minute <= 0:
        return RateDecision(True)
    script = _script(get_redis())
    allowed, wait_ms = script(keys=[key_prefix(key)], args=[limit_per_minute, window_seconds])
    return RateDecision(bool(allowed), wait_ms / 1000)
