"""When to try again: exponential backoff with jitter, Retry-After honoured, a cap."""

from __future__ import annotations

import random

from django.conf import settings


def backoff_seconds(attempt: int, retry_after: float | None = None) -> float:
    """Delay before retry number `attempt` (1 = the first retry): base * 2^(n-1), +-20 %."""
    base = settings.DELIVERY_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
    delay = base * random.uniform(0.8, 1.2)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, settings.DELIVERY_BACKOFF_MAX_SECONDS)


def attempts_left(attempt_count: int) -> bool:
    return attempt_count < settings.DELIVERY_MAX_ATTEMPTS
