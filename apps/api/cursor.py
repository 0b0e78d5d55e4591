"""The event list's cursor: the (received_at, id) of the last row a page showed, so the
next page is one range of the (received_at) index, however deep, where `?page=N` makes
the database read and drop every row before it (docs/performance.md, "Growth")."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from rest_framework.exceptions import ValidationError

from apps.api.filters import MAX_ID


@dataclass(frozen=True)
class After:
    received_at: datetime
    pk: int


def encode_after(received_at: datetime, pk: int) -> str:
    text = f"{received_at.astimezone(UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_after(cursor: str) -> After:
    """The position a cursor names; a 400 for anything this module did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, _, pk = raw.partition("|")
        received_at = datetime.fromisoformat(when)
        if received_at.tzinfo is None:
            raise ValueError("naive")
        # In UTC: PostgreSQL refuses offsets past 15:59.
        after = After(received_at.astimezone(UTC), int(pk))
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise ValidationError({"cursor": ["Not a cursor this API gave."]}, code="invalid") from None
    if not 0 < after.pk <= MAX_ID:
        raise ValidationError({"cursor": ["Not a cursor this API gave."]}, code="invalid")
    return after
