"""DRF authentication by API token: `Authorization: Token <key>` or `Bearer <key>`."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from apps.api.tokens import TokenError, find_token, key_from_header, mark_used


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
