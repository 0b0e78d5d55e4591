"""API tokens in the change history: who made or revoked which token, for whom, acting
as which role.

Tokens are not registered with auditlog's registry: a token's row holds the key's digest
and prefix (key material, which no entry may carry), its revocation is a guarded UPDATE
that fires no signal, and its role is its user's, not a column. So apps/api/tokens.py
writes the entries itself, in the transaction of the change, through these two
functions. An entry names the token (`name (user, role)`) and lists `name`, `user`,
`role` and `expires_at` on a create, `revoked_at` on a revoke; the actor is whoever the
request or the admin session was (auditlog's middleware), or for `create_api_token` its
--actor or the OS user (apps.core.audit.attributed_to).
"""

from __future__ import annotations

from auditlog.diff import get_field_value
from auditlog.models import LogEntry

from apps.api.models import ApiToken
from apps.api.roles import role_of

# auditlog's text for "no value", as its own create entries have it.
NONE = "None"


def role_label(token: ApiToken) -> str:
    """The role the token acts as: its user's, now."""
    role = role_of(token.user)
    return role.label if role else "no role"


def describe(token: ApiToken) -> str:
    """The entry's object_repr: never the prefix, which is the start of the key."""
    return f"{token.name or 'unnamed'} ({token.user.get_username()}, {role_label(token)})"


def _value(token: ApiToken, field: str) -> str:
    return str(get_field_value(token, ApiToken._meta.get_field(field)))


def record_issued(token: ApiToken) -> LogEntry:
    changes = {
        "name": [NONE, token.name],
        "user": [NONE, token.user.get_username()],
        "role": [NONE, role_label(token)],
    }
    if token.expires_at is not None:
        changes["expires_at"] = [NONE, _value(token, "expires_at")]
    return _log(token, LogEntry.Action.CREATE, changes)


def record_revoked(token: ApiToken) -> LogEntry:
    return _log(token, LogEntry.Action.UPDATE, {"revoked_at": [NONE, _value(token, "revoked_at")]})


def _log(token: ApiToken, action: int, changes: dict[str, list[str]]) -> LogEntry:
    # serialized_data stays empty (the model is not registered), so no digest slips in.
    return LogEntry.objects.log_create(
        token, force_log=True, action=action, changes=changes, object_repr=describe(token)
    )
