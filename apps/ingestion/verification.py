"""Inbound signature verification: a registry of schemes keyed by name.

    none               accept everything
    github             X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>
    hmac_sha256        hex HMAC-SHA256 of the body in a chosen header (default X-Signature)
    hmac               HMAC of the body, header/algorithm/encoding/prefix all chosen
    stripe             Stripe-Signature: t=<ts>,v1=<hex>, 300 s tolerance
    slack              X-Slack-Signature: v0=<hex> + X-Slack-Request-Timestamp, 300 s
    shopify            X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body
    standard_webhooks  webhook-id / webhook-timestamp / webhook-signature, whsec_ secrets
    basic_auth         Authorization: Basic; options["username"], the password is the secret
    api_key            a header (default X-API-Key) equal to the secret

Every scheme answers a Verdict and never raises on what a request contains. A source
with several secrets (the current one and, during rotation, the previous one) passes
when any of them verifies. Comparisons are constant-time.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apps.ingestion.schemes.base import Scheme, Verdict
from apps.ingestion.schemes.body_hmac import GenericHmac, GitHub, HmacSha256, Shopify
from apps.ingestion.schemes.credentials import ApiKey, BasicAuth, NoVerification
from apps.ingestion.schemes.timestamped import Slack, StandardWebhooks, Stripe

if TYPE_CHECKING:
    from apps.core.models import Source

__all__ = [
    "SCHEMES",
    "Scheme",
    "Verdict",
    "get_scheme",
    "scheme_choices",
    "secret_headers_of",
    "verify_source_request",
]

SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        NoVerification(),
        GitHub(),
        HmacSha256(),
        GenericHmac(),
        Stripe(),
        Slack(),
        Shopify(),
        StandardWebhooks(),
        BasicAuth(),
        ApiKey(),
    )
}


def get_scheme(name: str) -> Scheme:
    """The scheme called `name`; KeyError when there is none."""
    return SCHEMES[name]


def scheme_choices() -> list[tuple[str, str]]:
    return [(name, scheme.label) for name, scheme in SCHEMES.items()]


def secret_headers_of(scheme_name: str, options: Mapping | None) -> tuple[str, ...]:
    """The headers that carry this scheme's secret; none for an unknown scheme."""
    scheme = SCHEMES.get(scheme_name)
    if scheme is None:
        return ()
    return scheme.secret_headers(options if isinstance(options, Mapping) else {})


def verify_source_request(
    source: Source, headers: Mapping[str, str], body: bytes, now: float | None = None
) -> Verdict:
    """Check a request against the source's scheme, secrets and options.

    `now` (Unix seconds) is also the moment a previous secret's overlap is judged at.
    """
    scheme = SCHEMES.get(source.verification_scheme)
    if scheme is None:
        return Verdict(False, f"unknown verification scheme {source.verification_scheme!r}")
    now = time.time() if now is None else now
    secrets = source.verification_secrets(datetime.fromtimestamp(now, tz=UTC))
    return scheme.verify(headers, body, secrets, source.verification_options or {}, now)
