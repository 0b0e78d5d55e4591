"""Sources by slug, cached briefly in each process.

Every webhook needs its source (scheme, decrypted secrets, limits); reading and
decrypting it once per request is the largest avoidable cost of the hot path. A change
made in the admin or the API (deactivation, a rotated secret) is seen by every web
process within SOURCE_CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from apps.core.models import Source
from apps.core.reconnect import once_more_if_dropped

_cache: dict[str, tuple[float, Source | None]] = {}
_lock = threading.Lock()


def active_source(slug: str) -> Source | None:
    """The active source with this slug, or None. Raises DatabaseError like the ORM."""
    ttl = settings.SOURCE_CACHE_SECONDS
    now = time.monotonic()
    cached = _cache.get(slug)
    if cached is not None and cached[0] > now:
        return cached[1]
    source = once_more_if_dropped(Source.objects.filter(slug=slug, is_active=True).first)
    if ttl > 0:
        with _lock:
            if len(_cache) > 10_000:  # unknown slugs must not grow it without bound
                _cache.clear()
            _cache[slug] = (now + ttl, source)
    return source


def forget() -> None:
    """Drop every cached source (tests, and saves made in this process)."""
    _cache.clear()
