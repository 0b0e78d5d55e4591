"""API tokens: issued once, stored as a sha256, found by their visible prefix.

A key looks like `rc_` + 8 lookup characters + `_` + 43 random ones. Only the prefix
(`rc_` and the 8 characters) is kept in clear; the whole key is hashed. sha256 is enough
here (not a slow password hash): the keys are long and random, not chosen by people.
Keys minted by DRF's old authtoken app (40 hex characters, converted by migration
api.0002) have their first 8 characters as prefix. Issuing and revoking write their
change-history entry in the same transaction (apps/api/token_audit.py).

Checking a key answers the token or raises one of::

    TokenError
     ├── UnknownToken ... no such key (or a malformed one)
     ├── RevokedToken ... revoked_at is set
     ├── ExpiredToken ... expires_at has passed
     └── InactiveUser ... the user was deactivated
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.api import token_audit
from apps.api.models import ApiToken

KEY_PREFIX = "rc_"
LOOKUP_CHARS = 8
# last_used_at is a hint for people, not an audit trail: one write a minute at most.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class TokenError(Exception):
    message = "Invalid token."


class UnknownToken(TokenError):
    message = "Invalid token."


class RevokedToken(TokenError):
    def __init__(self, token: ApiToken) -> None:
        self.message = (
            f"This token ({token.prefix}…) was revoked on {token.revoked_at:%Y-%m-%d %H:%M} "
            "UTC: ask an administrator for a new one."
        )


class ExpiredToken(TokenError):
    def __init__(self, token: ApiToken) -> None:
        self.message = (
            f"This token ({token.prefix}…) expired on {token.expires_at:%Y-%m-%d %H:%M} "
            "UTC: ask an administrator for a new one."
        )


class InactiveUser(TokenError):
    message = "The user of this token is inactive."


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str:
    if key.startswith(KEY_PREFIX):
        return key[: len(KEY_PREFIX) + LOOKUP_CHARS]
    return key[:LOOKUP_CHARS]


def new_key() -> str:
    lookup = "".join(secrets.choice(_ALPHABET) for _ in range(LOOKUP_CHARS))
    return f"{KEY_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"


def issue_token(
    user: AbstractBaseUser, name: str = "", expires_days: int | None = None
) -> ApiToken:
    """A new token for the user. The returned object alone carries `.key`, the clear
    key to show once: it is not stored anywhere."""
    key = new_key()
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix_of(key),
            digest=digest_of(key),
            expires_at=expires_at,
        )
        token_audit.record_issued(token)
    token.key = key
    return token


def revoke(token: ApiToken) -> ApiToken:
    """Revoke a token; revoking it again keeps the first date (and logs nothing)."""
    if token.revoked_at is not None:
        return token
    now = timezone.now()
    with transaction.atomic():
        # Compare-and-set: of two concurrent revokes, one writes the date and the entry.
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if changed:
            token.revoked_at = now
            token_audit.record_revoked(token)
    if not changed:
        token.refresh_from_db(fields=["revoked_at"])
    return token


def revoke_others(user: AbstractBaseUser, keep: ApiToken) -> int:
    """Revoke the user's live tokens but `keep`; answers how many."""
    with transaction.atomic():
        others = list(
            ApiToken.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(user=user, revoked_at__isnull=True)
            .exclude(pk=keep.pk)
        )
        for token in others:
            revoke(token)
    return len(others)


def find_token(key: str) -> ApiToken:
    """The live token of this key, or a TokenError saying why not."""
    if not key or len(key) > 200:
        raise UnknownToken()
    digest = digest_of(key)
    candidates = ApiToken.objects.select_related("user").filter(prefix=prefix_of(key))
    token = next((t for t in candidates if hmac.compare_digest(t.digest, digest)), None)
    if token is None:
        raise UnknownToken()
    now = timezone.now()
    if token.revoked_at is not None:
        raise RevokedToken(token)
    if token.expires_at is not None and token.expires_at <= now:
        raise ExpiredToken(token)
    if not token.user.is_active:
        raise InactiveUser()
    return token


def mark_used(token: ApiToken) -> None:
    """Record the use, at most once per LAST_USED_RESOLUTION per token."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    # The condition makes concurrent requests of one token write once between them.
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def key_from_header(header: str) -> str | None:
    """The key of `Token <key>` or `Bearer <key>`, or None for any other header."""
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() not in ("token", "bearer") or not key or " " in key or "\x00" in key:
        return None
    return key
