"""Schemes that sign a timestamp with the body, so a captured request cannot be
replayed later: Stripe, Slack and Standard Webhooks.

The timestamp is checked before the signature; stale and future ones are both
refused. Each reads an optional `tolerance_seconds` (default 300).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from apps.core import standard_webhooks
from apps.ingestion.schemes.base import (
    DEFAULT_TOLERANCE_SECONDS,
    MISMATCH,
    OK,
    Scheme,
    Verdict,
    decode_hex,
    errors_of,
    header_value,
    hmac_digest,
    malformed,
    matches_any,
    missing,
    option,
    tolerance_error,
)


class Timestamped(Scheme):
    options = ("tolerance_seconds",)

    def tolerance(self, options: Mapping[str, Any]) -> int:
        return option(options, "tolerance_seconds", DEFAULT_TOLERANCE_SECONDS)

    def check_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        return errors_of(tolerance_seconds=tolerance_error(options.get("tolerance_seconds")))


class Stripe(Timestamped):
    name = "stripe"
    label = "Stripe"
    description = (
        "Stripe-Signature: t=<timestamp>,v1=<hex HMAC-SHA256 of '<t>.<body>'>; "
        "any v1 entry may match."
    )
    HEADER = "Stripe-Signature"

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        value = header_value(headers, self.HEADER)
        if value is None:
            return missing(self.HEADER)
        timestamp, signatures = parse_stripe_header(value)
        if timestamp is None:
            return Verdict(False, f"{self.HEADER} header has no t= timestamp")
        problem = standard_webhooks.check_timestamp(timestamp, now, self.tolerance(options))
        if problem:
            return Verdict(False, problem)
        if not signatures:
            return Verdict(False, f"{self.HEADER} header has no valid v1 signature")
        signed = timestamp.encode() + b"." + body
        expected = (hmac_digest(secret, signed) for secret in secrets)
        return OK if matches_any(signatures, expected) else MISMATCH


def parse_stripe_header(value: str) -> tuple[str | None, list[bytes]]:
    """The first t= value and every readable v1= signature; v0 and others are ignored."""
    timestamp, signatures = None, []
    for item in value.split(","):
        key, _, field = item.strip().partition("=")
        if key == "t" and timestamp is None:
            timestamp = field
        elif key == "v1" and (signature := decode_hex(field)) is not None:
            signatures.append(signature)
    return timestamp, signatures


class Slack(Timestamped):
    name = "slack"
    label = "Slack"
    description = (
        "X-Slack-Signature: v0=<hex HMAC-SHA256 of 'v0:<timestamp>:<body>'>, with "
        "X-Slack-Request-Timestamp."
    )
    SIGNATURE = "X-Slack-Signature"
    TIMESTAMP = "X-Slack-Request-Timestamp"

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        signature = header_value(headers, self.SIGNATURE)
        timestamp = header_value(headers, self.TIMESTAMP)
        if signature is None:
            return missing(self.SIGNATURE)
        if timestamp is None:
            return missing(self.TIMESTAMP)
        problem = standard_webhooks.check_timestamp(timestamp, now, self.tolerance(options))
        if problem:
            return Verdict(False, problem)
        provided = decode_hex(signature[3:]) if signature.startswith("v0=") else None
        if provided is None:
            return malformed(self.SIGNATURE, "v0=<hex>")
        signed = b"v0:" + timestamp.encode() + b":" + body
        expected = (hmac_digest(secret, signed) for secret in secrets)
        return OK if matches_any([provided], expected) else MISMATCH


class StandardWebhooks(Timestamped):
    name = "standard_webhooks"
    label = "Standard Webhooks"
    description = (
        "webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "
        "'<id>.<timestamp>.<body>'>); whsec_ secrets."
    )
    default_idempotency_header = "webhook-id"
    HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        values = [header_value(headers, name) for name in self.HEADERS]
        for name, value in zip(self.HEADERS, values, strict=True):
            if value is None:
                return missing(name)
        msg_id, timestamp, signature = values
        tolerance = self.tolerance(options)
        ok, reason = standard_webhooks.verify(
            msg_id, timestamp, signature, body, secrets, now, tolerance
        )
        return Verdict(ok, reason)
