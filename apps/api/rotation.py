"""Secrets: generating them, showing a hint of them, rotating them with an overlap.

During an overlap the previous secret keeps working (inbound verification accepts it,
outbound deliveries are signed with both) until its expiry; then only the new one does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

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
    new_secret = new_secret or new_source_secret(source.verification_scheme)
    had_secret = bool(source.secret)
    source.previous_secret = source.secret
    source.previous_secret_expires_at = _expiry(had_secret, overlap_hours, now)
    source.secret = new_secret
    source.save(
        update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
    )
    return Rotated(new_secret, source.previous_secret_expires_at)


def rotate_signing_secret(
    destination: Destination,
    overlap_hours: float = DEFAULT_OVERLAP_HOURS,
    now: datetime | None = None,
) -> Rotated:
    """A new whsec_ signing secret; deliveries carry both signatures until expiry."""
    now = now or timezone.now()
    new_secret = standard_webhooks.generate_secret()
    had_secret = bool(destination.signing_secret)
    destination.previous_signing_secret = destination.signing_secret
    destination.previous_signing_secret_expires_at = _expiry(had_secret, overlap_hours, now)
    destination.signing_secret = new_secret
    destination.save(
        update_fields=[
            "signing_secret",
            "previous_signing_secret",
            "previous_signing_secret_expires_at",
            "updated_at",
        ]
    )
    return Rotated(new_secret, destination.previous_signing_secret_expires_at)
