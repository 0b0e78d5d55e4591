"""Schemes with no signature: none, HTTP Basic credentials, and a shared API key.

The credential travels with every request, so these prove only that the sender
knows the secret; use them for producers that can do nothing better.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from typing import Any

from apps.ingestion.schemes.base import (
    OK,
    Scheme,
    Verdict,
    decode_base64,
    errors_of,
    header_name_error,
    header_value,
    malformed,
    missing,
    option,
    utf8,
)


class NoVerification(Scheme):
    name = "none"
    label = "None"
    description = "Accept every request. Only for trusted networks and testing."
    needs_secret = False

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        return OK


class BasicAuth(Scheme):
    name = "basic_auth"
    label = "HTTP Basic auth"
    description = "Authorization: Basic <user:password>; the password is the secret."
    options = ("username",)
    HEADER = "Authorization"

    def secret_headers(self, options: Mapping[str, Any]) -> tuple[str, ...]:
        return (self.HEADER,)

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
        kind, _, encoded = value.partition(" ")
        decoded = decode_base64(encoded.strip()) if kind.lower() == "basic" else None
        if decoded is None or b":" not in decoded:
            return malformed(self.HEADER, "Basic <base64 user:password>")
        # Compared as bytes, so credentials that are not UTF-8 simply do not match.
        username, _, password = decoded.partition(b":")
        user_ok = hmac.compare_digest(username, utf8(options["username"]))
        password_ok = any(hmac.compare_digest(password, utf8(s)) for s in secrets)
        return OK if user_ok and password_ok else Verdict(False, "credentials do not match")

    def check_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        username = options.get("username")
        if not username:
            return {"username": "is required"}
        if not isinstance(username, str) or ":" in username:
            return {"username": "must be text without a colon"}
        return {}


class ApiKey(Scheme):
    name = "api_key"
    label = "API key header"
    description = "A header (default X-API-Key) whose value is the secret."
    options = ("header",)
    DEFAULT_HEADER = "X-API-Key"

    def header(self, options: Mapping[str, Any]) -> str:
        value = option(options, "header", self.DEFAULT_HEADER)
        return value if isinstance(value, str) else self.DEFAULT_HEADER

    def secret_headers(self, options: Mapping[str, Any]) -> tuple[str, ...]:
        # The default too: a source switched to a custom header may still be sent the
        # old one by a producer not yet updated.
        return tuple(dict.fromkeys((self.header(options), self.DEFAULT_HEADER)))

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        header = self.header(options)
        value = header_value(headers, header)
        if value is None:
            return missing(header)
        provided = utf8(value)
        if any(hmac.compare_digest(provided, utf8(s)) for s in secrets):
            return OK
        return Verdict(False, "API key does not match")

    def check_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        return errors_of(header=header_name_error(options.get("header")))
