"""DRF authentication by API token: `Authorization: Token <key>` or `Bearer <key>`.

`CachedTokenAuthentication` is for the listen poll alone (apps/api/views/listen.py): a
listener asks every second, and looking its token and role up each time made a poll
cost several ingest requests. It keeps a checked token, its user and role in the
process for LISTEN_AUTH_CACHE_SECONDS, so a revocation reaches a listener that late.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from apps.api.roles import role_of
from apps.api.tokens import TokenError, digest_of, find_token, key_from_header, mark_used


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme = header.partition(" ")[0].lower()
        if scheme not in ("token", "bearer"):
            return None  # another scheme: let the next authenticator look
        key = key_from_header(header)
        if key is None:
            raise exceptions.AuthenticationFailed("Malformed token header.")
        try:
            token = find_token(key)
        except TokenError as error:
            raise exceptions.AuthenticationFailed(error.message) from None
        mark_used(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Answered as WWW-Authenticate, which also makes DRF answer 401 rather than 403.
        return self.keyword


class CachedTokenAuthentication(ApiTokenAuthentication):
    """ApiTokenAuthentication, remembered briefly per key digest (see the docstring)."""

    _cache: dict[str, tuple[float, object]] = {}
    _lock = threading.Lock()

    def authenticate(self, request: Request):
        header = request.headers.get("Authorization", "")
        key = key_from_header(header) if header else None
        ttl = settings.LISTEN_AUTH_CACHE_SECONDS
        if key is None or ttl <= 0:
            return super().authenticate(request)
        digest = digest_of(key)
        found = self._cache.get(digest)
        now = time.monotonic()
        if found is not None and found[0] > now:
            token = found[1]
            if token.expires_at is None or token.expires_at > timezone.now():
                return token.user, token
        user, token = super().authenticate(request)
        role_of(user)  # kept on the user object, so the cached user keeps it too
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now + ttl, token)
        return user, token

    @classmethod
    def forget(cls) -> None:
        cls._cache.clear()


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names this authentication (drf-spectacular finds it here)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` or `Bearer <key>` (`manage.py create_api_token`).",
        }
