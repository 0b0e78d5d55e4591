"""The webhook path skips the middleware that exists for people."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve


class WebhookFastPath:
    """Requests under settings.FAST_PATH_PREFIXES go straight to their view.

    Sessions, CSRF, authentication, the audit actor, messages, frame options and the
    login lockout have nothing to do with a producer's POST, yet together they were a
    fifth of the CPU of an ingest request. Placed after SecurityMiddleware (HTTPS
    redirect, HSTS) and the CSP header, so those still apply. A path that resolves to
    no view takes the normal route, and gets the normal 404.

    The database health check (a SELECT 1 before the request's first query) is skipped
    here too: ingest's queries replace a connection a database restart dropped and run
    again (apps/core/reconnect.py), and the round trip cost about 6 % of ingest.
    Requests for people keep the check.

    Paths matching settings.FAST_PATH_PATTERNS (the `relaycore listen` poll, a script's
    request a second per listener) skip the same middleware but keep the health check:
    their ORM queries do not run again by themselves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.FAST_PATH_PREFIXES)
        self.patterns = [re.compile(pattern) for pattern in settings.FAST_PATH_PATTERNS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if self.prefixes and path.startswith(self.prefixes):
            return self._straight(request, health_checked=True)
        if any(pattern.match(path) for pattern in self.patterns):
            return self._straight(request, health_checked=False)
        return self.get_response(request)

    def _straight(self, request: HttpRequest, *, health_checked: bool) -> HttpResponse:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        request.resolver_match = match
        if health_checked:
            connection.health_check_done = True  # Django resets it for every request
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()  # a DRF Response, as Django's handler would
        return response
