"""What every verification scheme shares: the Verdict, the Scheme base class, and the
small parsing and comparison helpers the schemes are built from.

Helpers return None for input they cannot read instead of raising, so a scheme can
turn anything malformed into a Verdict.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

DEFAULT_TOLERANCE_SECONDS = 300
ALGORITHMS = ("sha1", "sha256", "sha512")
ENCODINGS = ("hex", "base64")
# RFC 9110 token characters: what a header name may contain.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


OK = Verdict(True)
MISMATCH = Verdict(False, "signature does not match")


class Scheme:
    """One way of proving a request came from the producer.

    Subclasses implement `check()` (and `check_options()` if they read options);
    `verify()` first refuses a misconfigured source or one without a secret.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    needs_secret: ClassVar[bool] = True
    options: ClassVar[tuple[str, ...]] = ()
    default_idempotency_header: ClassVar[str | None] = None
    # The signature covers the body and nothing else (no timestamp, no id): a captured
    # request stays valid forever, so its body, not an unsigned id header, is its key.
    signs_only_body: ClassVar[bool] = False

    def secret_headers(self, options: Mapping[str, Any]) -> tuple[str, ...]:
        """Names of the request headers that carry the secret itself (not a signature
        of it) for these options: they are redacted before an event is stored or logged."""
        return ()

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        options = options if isinstance(options, Mapping) else {}
        # Unknown keys are ignored here (only validate_options reports them): a
        # leftover option from a previous scheme must not block live traffic.
        errors = self.check_options(options)
        if errors:
            key, message = next(iter(errors.items()))
            return Verdict(False, f"verification option {key!r} {message}")
        usable = [s for s in secrets if s]
        if self.needs_secret and not usable:
            return Verdict(False, "no secret configured")
        # Callers lower-case header names already; doing it again is cheap insurance.
        lowered = {str(k).lower(): v for k, v in headers.items()}
        return self.check(lowered, body, usable, options, now)

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        raise NotImplementedError

    def validate_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        """{option: message} for every problem; {} when the options are usable."""
        if not isinstance(options, Mapping):
            return {"options": "must be an object"}
        errors = {
            str(key): f"is not used by the {self.name} scheme"
            for key in options
            if key not in self.options
        }
        errors.update(self.check_options(options))
        return errors

    def check_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        return {}


# Reading requests


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """The stripped value of a header, or None when it is absent, empty or not text."""
    value = headers.get(name.lower())
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def missing(header: str) -> Verdict:
    return Verdict(False, f"{header} header missing")


def malformed(header: str, expected: str) -> Verdict:
    return Verdict(False, f"{header} header is not {expected}")


def utf8(text: str) -> bytes:
    # surrogatepass: encoding a header string must never raise, whatever it holds.
    return text.encode("utf-8", "surrogatepass")


def decode_hex(value: str) -> bytes | None:
    return bytes.fromhex(value) if _HEX.fullmatch(value) else None


def decode_base64(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def decode(value: str, encoding: str) -> bytes | None:
    return decode_hex(value) if encoding == "hex" else decode_base64(value)


def hmac_digest(secret: str, message: bytes, algorithm: str = "sha256") -> bytes:
    return hmac.new(utf8(secret), message, getattr(hashlib, algorithm)).digest()


def matches_any(provided: Iterable[bytes], expected: Iterable[bytes]) -> bool:
    """True when any provided signature equals any expected one (constant-time)."""
    provided = list(provided)
    return any(hmac.compare_digest(e, p) for e in expected for p in provided)


# Reading options


def option(options: Mapping[str, Any], key: str, default: Any) -> Any:
    value = options.get(key)
    return default if value is None or value == "" else value


def header_name_error(value: Any, required: bool = False) -> str | None:
    if value is None or value == "":
        return "is required" if required else None
    if not isinstance(value, str) or not _HEADER_NAME.fullmatch(value):
        return "must be an HTTP header name"
    return None


def choice_error(value: Any, choices: Sequence[str]) -> str | None:
    if value is None or value == "" or value in choices:
        return None
    return "must be one of " + ", ".join(choices)


def tolerance_error(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return "must be a positive whole number of seconds"
    return None


def errors_of(**found: str | None) -> dict[str, str]:
    """Keep only the checks that failed: errors_of(header=..., prefix=...)."""
    return {key: message for key, message in found.items() if message}
