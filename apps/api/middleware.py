"""Small middleware of the API and its hardening."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to responses that do not set their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


def token_user(request: HttpRequest):
    """The user of a live `Authorization: Token <key>` (or Bearer) header, or None."""
    from apps.api.tokens import TokenError, find_token, key_from_header

    key = key_from_header(request.headers.get("Authorization", ""))
    if key is None:
        return None
    try:
        return find_token(key).user
    except TokenError:
        return None


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, also naming the actor of API-token requests.

    DRF authenticates tokens inside the view, after the stock middleware has already
    looked for a user; without this, changes made by scripts would have no actor.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        # Stock auditlog believes any X-Forwarded-For; ours only as TRUSTED_PROXY_COUNT says.
        from apps.api.client_address import client_address

        return client_address(request) or None

    @staticmethod
    def _get_actor(request: HttpRequest):
        # Only the API and the admin change audited objects. Elsewhere (the webhook
        # path above all) a session cookie must not cost a database read, nor turn a
        # database outage into an error before the view can answer 503.
        if not request.path.startswith(("/api/", "/admin/")):
            return None
        user = getattr(request, "user", None)
        if isinstance(user, get_user_model()) and user.is_authenticated:
            return user
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            # Looked up only if something is actually logged (isinstance() resolves it).
            return SimpleLazyObject(lambda: token_user(request))
        return None
