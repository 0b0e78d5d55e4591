"""Who may follow a stream: the long poll's rules (a live API token, viewer or above),
checked before the stream starts and answered with the API's error shape if not."""

from __future__ import annotations

from dataclasses import dataclass

from apps.api.models import ApiToken
from apps.api.roles import Role, has_role, role_of
from apps.api.tokens import TokenError, find_token, key_from_header, mark_used
from apps.core.errors import error_body
from apps.core.models import Source
from apps.ingestion.sources import active_source


@dataclass
class Denied(Exception):
    status: int
    code: str
    message: str

    def body(self) -> dict:
        return error_body(self.code, self.message)


def token_of(header: str) -> ApiToken:
    """The live token of an `Authorization` header whose user may read, or Denied
    with the answer DRF would give on the long poll."""
    if header.partition(" ")[0].lower() not in ("token", "bearer"):
        raise Denied(401, "not_authenticated", "Authentication credentials were not provided.")
    key = key_from_header(header)
    if key is None:
        raise Denied(401, "authentication_failed", "Malformed token header.")
    try:
        token = find_token(key)
    except TokenError as error:
        raise Denied(401, "authentication_failed", error.message) from None
    if role_of(token.user) is None:
        raise Denied(
            403, "permission_denied", "Your account has no role yet: ask an administrator for one."
        )
    if not has_role(token.user, Role.VIEWER):
        raise Denied(403, "permission_denied", f"This needs the {Role.VIEWER.label} role.")
    mark_used(token)
    return token


def source_of(slug: str) -> Source:
    source = active_source(slug)
    if source is None:
        raise Denied(404, "not_found", f"No active source with slug {slug!r}.")
    return source
