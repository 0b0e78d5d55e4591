"""What an attempt keeps of the request it sent and of the answer's headers.

The attempt timeline shows these to every role, so they are masked before they are
stored, never on the way out: no column ever holds the secret.

    webhook-signature             each "v1,<signature>" entry becomes "v1,[redacted]"
                                  (how many secrets signed it stays readable)
    the destination's auth header [redacted], whatever its name
    Authorization, Proxy-Authorization, Cookie, X-API-Key
                                  [redacted] (a transformation may set one)
    any other value holding the auth header's secret
                                  [redacted]
    the URL                       apps.core.secret_urls.mask_url (Slack or Discord
                                  paths, token parameters, user:password@)
    the answer's Set-Cookie       [redacted]

Bodies are cut at ATTEMPT_BODY_LIMIT_BYTES (the whole size is kept beside them), and the
answer's headers are bounded in number and length, so one attempt stays a small row.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from apps.core.models import Destination
from apps.core.secret_urls import mask_url
from apps.delivery.outbound import auth_header_pair

REDACTED = "[redacted]"
SIGNATURE_HEADER = "webhook-signature"
SECRET_REQUEST_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
SECRET_RESPONSE_HEADERS = frozenset({"set-cookie"})
MAX_RESPONSE_HEADERS = 50
MAX_HEADER_VALUE = 1024
# Too short to be worth searching for inside other values ("Bearer x" would match a lot).
MIN_SECRET_LENGTH = 8


@dataclass(frozen=True)
class SentRequest:
    method: str
    url: str  # masked
    headers: dict[str, str]  # masked
    body: str  # at most ATTEMPT_BODY_LIMIT_BYTES of it
    body_size: int  # bytes of the whole body as sent
    body_truncated: bool


# A destination's URL is masked the same way for every attempt: once, not per request.
_masked_url = functools.lru_cache(maxsize=1024)(mask_url)


def sent_request(destination: Destination, headers: Mapping[str, str], body: bytes) -> SentRequest:
    """The request of one attempt as it may be stored: masked, its body bounded."""
    return SentRequest(
        method="POST",
        url=_masked_url(destination.url),
        headers=masked_request_headers(headers, destination.auth_header),
        body=cut_body(body, settings.ATTEMPT_BODY_LIMIT_BYTES),
        body_size=len(body),
        body_truncated=len(body) > settings.ATTEMPT_BODY_LIMIT_BYTES,
    )


def masked_request_headers(headers: Mapping[str, str], auth_header: str) -> dict[str, str]:
    pair = auth_header_pair(auth_header)
    secret_names = set(SECRET_REQUEST_HEADERS)
    secret_value = ""
    if pair:
        secret_names.add(pair[0].lower())
        secret_value = pair[1]
    masked = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower == SIGNATURE_HEADER:
            masked[name] = _masked_signature(value)
        elif lower in secret_names or _holds(value, secret_value):
            masked[name] = REDACTED
        else:
            masked[name] = value
    return masked


def _holds(value: str, secret: str) -> bool:
    return len(secret) >= MIN_SECRET_LENGTH and secret in value


def _masked_signature(value: str) -> str:
    entries = [entry.partition(",")[0] for entry in value.split()]
    return " ".join(f"{version},{REDACTED}" for version in entries) or REDACTED


def kept_response_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The answer's headers, bounded, Set-Cookie masked (a destination's session is its
    own secret)."""
    kept = {}
    for name, value in list(headers.items())[:MAX_RESPONSE_HEADERS]:
        if name.lower() in SECRET_RESPONSE_HEADERS:
            kept[name] = REDACTED
        else:
            kept[name[:MAX_HEADER_VALUE]] = storable(value[:MAX_HEADER_VALUE])
    return kept


def cut_body(body: bytes, limit: int) -> str:
    """The first `limit` bytes as text (invalid UTF-8 replaced)."""
    return storable(body[:limit].decode("utf-8", errors="replace"))


def storable(value: str) -> str:
    # PostgreSQL's text and jsonb refuse NUL characters; a binary body may hold some.
    return value.replace("\x00", "\ufffd")
