"""Schemes that sign only the raw body, with an HMAC carried in one header.

They differ in header, hash, encoding and prefix, so one class holds the check and
each scheme states its settings. No timestamp is signed: these offer no replay
protection beyond what the idempotency key gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from apps.ingestion.schemes.base import (
    ALGORITHMS,
    ENCODINGS,
    MISMATCH,
    OK,
    Scheme,
    Verdict,
    choice_error,
    decode,
    errors_of,
    header_name_error,
    header_value,
    hmac_digest,
    malformed,
    matches_any,
    missing,
    option,
)


class Settings(NamedTuple):
    header: str
    algorithm: str = "sha256"
    encoding: str = "hex"
    prefix: str = ""
    prefix_required: bool = True


class BodyHmac(Scheme):
    signs_only_body = True

    def settings(self, options: Mapping[str, Any]) -> Settings:
        raise NotImplementedError

    def check(
        self,
        headers: Mapping[str, str],
        body: bytes,
        secrets: Sequence[str],
        options: Mapping[str, Any],
        now: float,
    ) -> Verdict:
        s = self.settings(options)
        value = header_value(headers, s.header)
        if value is None:
            return missing(s.header)
        if s.prefix and value.startswith(s.prefix):
            value = value[len(s.prefix) :]
        elif s.prefix and s.prefix_required:
            return malformed(s.header, f"{s.prefix}<{s.encoding}>")
        provided = decode(value, s.encoding)
        if provided is None:
            return malformed(s.header, f"{s.prefix}<{s.encoding}>")
        expected = (hmac_digest(secret, body, s.algorithm) for secret in secrets)
        return OK if matches_any([provided], expected) else MISMATCH


class GitHub(BodyHmac):
    name = "github"
    label = "GitHub"
    description = "X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>."

    def settings(self, options: Mapping[str, Any]) -> Settings:
        return Settings(header="X-Hub-Signature-256", prefix="sha256=")


class Shopify(BodyHmac):
    name = "shopify"
    label = "Shopify"
    description = "X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body."

    def settings(self, options: Mapping[str, Any]) -> Settings:
        return Settings(header="X-Shopify-Hmac-Sha256", encoding="base64")


class HmacSha256(BodyHmac):
    name = "hmac_sha256"
    label = "HMAC-SHA256 (hex)"
    description = (
        "Hex HMAC-SHA256 of the body in a header (default X-Signature); "
        "a sha256= prefix is accepted."
    )
    options = ("header",)

    def settings(self, options: Mapping[str, Any]) -> Settings:
        header = option(options, "header", "X-Signature")
        return Settings(header=header, prefix="sha256=", prefix_required=False)

    def check_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        return errors_of(header=header_name_error(options.get("header")))


class GenericHmac(BodyHmac):
    name = "hmac"
    label = "HMAC (custom)"
    description = (
        "HMAC of the body in a chosen header, with a chosen hash (sha1, sha256, "
        "sha512), encoding (hex, base64) and optional prefix such as sha1=."
    )
    options = ("header", "algorithm", "encoding", "prefix")

    def settings(self, options: Mapping[str, Any]) -> Settings:
        return Settings(
            header=options["header"],
            algorithm=option(options, "algorithm", "sha256"),
            encoding=option(options, "encoding", "hex"),
            prefix=option(options, "prefix", ""),
        )

    def check_options(self, options: Mapping[str, Any]) -> dict[str, str]:
        prefix = options.get("prefix")
        return errors_of(
            header=header_name_error(options.get("header"), required=True),
            algorithm=choice_error(options.get("algorithm"), ALGORITHMS),
            encoding=choice_error(options.get("encoding"), ENCODINGS),
            prefix=None if prefix is None or isinstance(prefix, str) else "must be text",
        )
