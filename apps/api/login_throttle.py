"""At most LOGIN_THROTTLE_RATE login attempts per client address, on the API's and the
admin's login alike (a Redis sliding window, apps/core/ratelimit.py).

Beside axes (which locks a username from one address after 5 failures) this bounds how
fast one address may try passwords across many usernames. Over the limit the answer is
429 `throttled` in the API's error shape, with Retry-After. If Redis cannot be reached
the attempt goes through: axes still counts failures in the database.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from apps.api.client_address import client_address
from apps.core.errors import error_response
from apps.core.ratelimit import take
from relaycore.env import parse_rate

logger = logging.getLogger(__name__)

LOGIN_PATHS = frozenset({"/api/auth/login/", "/admin/login/"})


def login_allowed(address: str) -> tuple[bool, float]:
    """Count one attempt from `address`: (allowed, seconds to wait when not)."""
    limit, window = parse_rate(settings.LOGIN_THROTTLE_RATE)
    if limit <= 0:
        return True, 0.0
    try:
        decision = take(f"login:{address}", limit, window_seconds=window)
    except redis.RedisError as exc:
        logger.warning("login.throttle.unavailable error=%s", exc.__class__.__name__)
        return True, 0.0
    return decision.allowed, decision.retry_after


class LoginThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in LOGIN_PATHS:
            allowed, wait = login_allowed(client_address(request))
            if not allowed:
                seconds = max(1, math.ceil(wait))
                response = error_response(
                    "throttled",
                    f"Too many login attempts from this address: try again in {seconds} s.",
                    429,
                )
                response["Retry-After"] = str(seconds)
                return response
        return self.get_response(request)
