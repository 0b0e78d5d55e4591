"""Secrets: generating them, showing a hint of them, rotating them with an overlap.

During an overlap the previous secret keeps working (inbound verification accepts it,
outbound deliveries are signed with both) until its expiry; then only the new one does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.core import standard_webhooks
from apps.core.models import Destination, Source

DEFAULT_OVERLAP_HOURS = 24
MAX_OVERLAP_HOURS = 24 * 30
# A hint of a short secret would give too much of it away.
LAST4_MIN_LENGTH = 12


def last4(secret: str) -> str:
    return secret[-4:] if len(secret) >= LAST4_MIN_LENGTH else ""


def new_source_secret(scheme_name: str) -> str:
    if scheme_name == "standard_webhooks":
        return standard_webhooks.generate_secret()
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Rotated:
    secret: str
    previous_expires_at: datetime | None


def _expiry(had_secret: bool, overlap_hours: float, now: datetime) -> datetime | None:
    return now + timedelta(hours=overlap_hours) if had_secret else None


def rotate_source_secret(
    source: Source,
    new_secret: str = "",
    overlap_hours: float = DEFAULT_OVERLAP_HOURS,
    now: datetime | None = None,
) -> Rotated:
    """Make `new_secret` (or a generated one) current; the old one verifies until expiry."""
    now = now or timezone.now()
    fields = ["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
    with transaction.atomic():
        # Under the row lock, from the row as it is now: a concurrent rotation or key
        # re-encryption is neither lost nor turned into the previous secret twice.
        locked = Source.objects.select_for_update().get(pk=source.pk)
        new_secret = new_secret or new_source_secret(locked.verification_scheme)
        had_secret = bool(locked.secret)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = _expiry(had_secret, overlap_hours, now)
        locked.secret = new_secret
        locked.save(update_fields=fields)
    _copy(locked, source, fields)
    return Rotated(new_secret, locked.previous_secret_expires_at)


def rotate_signing_secret(
    destination: Destination,
    overlap_hours: float = DEFAULT_OVERLAP_HOURS,
    now: datetime | None = None,
) -> Rotated:
    """A new whsec_ signing secret; deliveries carry both signatures until expiry."""
    now = now or timezone.now()
    new_secret = standard_webhooks.generate_secret()
    fields = [
        "signing_secret",
        "previous_signing_secret",
        "previous_signing_secret_expires_at",
        "updated_at",
    ]
    with transaction.atomic():
        locked = Destination.objects.select_for_update().get(pk=destination.pk)
        had_secret = bool(locked.signing_secret)
        locked.previous_signing_secret = locked.signing_secret
        locked.previous_signing_secret_expires_at = _expiry(had_secret, overlap_hours, now)
        locked.signing_secret = new_secret
        locked.save(update_fields=fields)
    _copy(locked, destination, fields)
    return Rotated(new_secret, locked.previous_signing_secret_expires_at)


def _copy(source_row, target, fields: list[str]) -> None:
    """The caller's instance shows what was saved."""
    for name in fields:
        setattr(target, name, getattr(source_row, name))
