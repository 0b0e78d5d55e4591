"""Standard Webhooks (https://www.standardwebhooks.com) signing, both directions.

Outbound deliveries are signed with `outbound_headers()`; the inbound
`standard_webhooks` verification scheme checks with `verify()`. The format:

    webhook-id:        a message id, the same on every retry
    webhook-timestamp: Unix seconds
    webhook-signature: "v1,<base64 HMAC-SHA256>" entries separated by spaces,
                       one per secret so receivers can rotate without downtime
    signed content:    f"{id}.{timestamp}.{body}"
    secret:            "whsec_" + base64 of the key bytes
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as random
import time
from collections.abc import Sequence
from typing import NamedTuple

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300
_KEY_BYTES = 24


class Check(NamedTuple):
    """The outcome of `verify()`: ok, else a short reason fit for an operator."""

    ok: bool
    reason: str = ""


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(random.token_bytes(_KEY_BYTES)).decode()


def secret_bytes(secret: str) -> bytes:
    """The HMAC key of a secret, with or without the whsec_ prefix.

    Raises ValueError when the rest is not base64 or is empty.
    """
    encoded = secret.removeprefix(SECRET_PREFIX).strip()
    # Some providers hand out unpadded base64; restore the padding before decoding.
    encoded += "=" * (-len(encoded) % 4)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("secret is not base64 (optionally after a whsec_ prefix)") from None
    if not key:
        raise ValueError("secret is empty")
    return key


def is_valid_secret(secret: str) -> bool:
    try:
        secret_bytes(secret)
    except ValueError:
        return False
    return True


def sign(msg_id: str, timestamp: int, body: bytes, secrets: Sequence[str]) -> str:
    """The webhook-signature value: one "v1,<base64>" entry per secret."""
    if not secrets:
        raise ValueError("signing needs at least one secret")
    return " ".join(
        "v1," + base64.b64encode(_digest(secret_bytes(s), msg_id, str(timestamp), body)).decode()
        for s in secrets
    )


def outbound_headers(
    msg_id: str, body: bytes, secrets: Sequence[str], now: int | None = None
) -> dict[str, str]:
    """Headers for an outbound delivery.

    Without secrets the id and timestamp are still sent (receivers deduplicate on the
    id); only webhook-signature is left out.
    """
    timestamp = int(time.time() if now is None else now)
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp)}
    if secrets:
        headers["webhook-signature"] = sign(msg_id, timestamp, body, secrets)
    return headers


def verify(
    msg_id: str,
    timestamp: str | int,
    signature_header: str,
    body: bytes,
    secrets: Sequence[str],
    now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> Check:
    """Check a signed message; never raises on malformed input."""
    problem = check_timestamp(timestamp, now, tolerance)
    if problem:
        return Check(False, problem)
    keys = _usable_keys(secrets)
    if not keys:
        return Check(False, "no valid whsec_ secret configured")
    provided = _v1_signatures(signature_header)
    if not provided:
        return Check(False, "webhook-signature header has no valid v1 signature")
    for key in keys:
        expected = _digest(key, msg_id, str(timestamp), body)
        # Check every entry with compare_digest; which one matched does not matter.
        if any(hmac.compare_digest(expected, sig) for sig in provided):
            return Check(True)
    return Check(False, "signature does not match")


def check_timestamp(timestamp: str | int, now: float, tolerance: int = TOLERANCE_SECONDS) -> str:
    """Why a Unix-seconds timestamp is unacceptable, or "" when it is within tolerance.

    Stale and future timestamps are both refused: either may be a replay.
    """
    seconds = parse_timestamp(timestamp)
    if seconds is None:
        return "timestamp is not a whole number of Unix seconds"
    drift = now - seconds
    if drift > tolerance:
        return f"timestamp is {int(drift)} s old, outside the {tolerance} s tolerance"
    if drift < -tolerance:
        return f"timestamp is {int(-drift)} s in the future, outside the {tolerance} s tolerance"
    return ""


def parse_timestamp(value: str | int) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # ASCII digits only: int() would also take "1_000", "+5" and non-ASCII digits.
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return None


def _digest(key: bytes, msg_id: str, timestamp: str, body: bytes) -> bytes:
    # surrogatepass: encoding a header string must never raise, whatever it holds.
    content = f"{msg_id}.{timestamp}.".encode("utf-8", "surrogatepass") + body
    return hmac.new(key, content, hashlib.sha256).digest()


def _usable_keys(secrets: Sequence[str]) -> list[bytes]:
    keys = []
    for secret in secrets:
        try:
            keys.append(secret_bytes(secret))
        except ValueError:
            continue  # a bad secret must not stop a good one from verifying
    return keys


def _v1_signatures(header: str) -> list[bytes]:
    """The decodable v1 entries; other versions are for other verifiers to read."""
    found = []
    for entry in header.split():
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found
