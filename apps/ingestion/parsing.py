"""Turning a raw inbound request into the fields of an Event: one ParsedEvent per
request, read by the source's Reading (apps.ingestion.declarations).

Nothing here raises on bad input: a body that does not parse is still stored raw,
with `payload` left empty.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from django.conf import settings

from apps.core import deadline, jsonpath

if TYPE_CHECKING:
    from apps.ingestion.declarations import Reading

# Never stored as received, whatever the scheme; a source's Reading adds the headers
# its scheme and the producer quirks declare as carrying a secret.
REDACTED_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
REDACTED = "[redacted]"


@dataclass(frozen=True)
class ParsedEvent:
    """An inbound request as its Event row keeps it, parsed once."""

    headers: dict[str, str]  # lower-case names, secrets redacted
    body: bytes  # as kept: a refused request's may be cut short
    content_type: str  # as stored (at most 200 characters)
    payload: Any  # None when the body is not data
    event_type: str
    idempotency_key: str


def parse_event(
    headers: Mapping[str, str], body: bytes, content_type: str, reading: Reading, key: str
) -> ParsedEvent:
    """`headers` have lower-case names; `content_type` is the whole header (a multipart
    boundary is needed to parse); `key` is the idempotency key ("" for none)."""
    payload = parse_body(body, content_type)
    fallback_type = ""
    for producer in reading.producers:
        meta = producer.metadata(headers)
        if meta:
            payload = producer.fold(payload, meta)
            fallback_type = fallback_type or producer.event_type(meta)
    event_type = event_type_of(
        headers, payload, reading.event_type_header, reading.event_type_path, fallback_type
    )
    return ParsedEvent(
        headers=stored_headers(headers, reading.secret_headers),
        body=body,
        content_type=content_type[:200],
        payload=payload,
        event_type=event_type,
        idempotency_key=key,
    )


def idempotency_key(headers: Mapping[str, str], body: bytes, reading: Reading) -> str:
    """The first declared id header present (stripped, at most 300 characters), else
    the body's hash; always the body's hash when the reading says so."""
    if reading.key_is_body_hash:
        return body_key(body)
    for name in reading.key_headers:
        value = headers.get(name, "").strip()
        if value:
            return value[:300]
    return body_key(body)


def normalise_headers(raw: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in raw.items()}


def stored_headers(
    headers: Mapping[str, str], secret_headers: Iterable[str] = ()
) -> dict[str, str]:
    secret = {name.lower() for name in secret_headers}
    return {
        name: (REDACTED if name in REDACTED_HEADERS or name in secret else value)
        for name, value in headers.items()
    }


def parse_body(body: bytes, content_type: str) -> Any:
    """JSON and form bodies become Python data; anything else that is JSON too.

    The payload must fit a JSON column everywhere (PostgreSQL's jsonb included): NaN and
    Infinity make a body count as not JSON, and NUL characters in strings are replaced.
    The raw body is always kept exactly as received.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        return _without_nul(_parse_form(body))
    if media_type == "multipart/form-data":
        return _without_nul(_parse_multipart(body, content_type))
    if not body.strip():
        return None
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return _without_nul(payload) if b"\\u0000" in body else payload


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def _parse_form(body: bytes) -> dict[str, Any] | None:
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    return {name: values[0] if len(values) == 1 else values for name, values in fields.items()}


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any] | None:
    """An HTML form posted as multipart: text fields by name; a file is described
    (name, type, size), its bytes stay in the raw body only."""
    try:
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        if not message.is_multipart():
            return None
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            fields[str(name)] = _multipart_value(part)
    except (ValueError, LookupError, UnicodeError):
        return None
    return fields


def _multipart_value(part) -> Any:
    data = part.get_payload(decode=True) or b""
    if part.get_filename() is not None:
        return {
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "size": len(data),
        }
    charset = part.get_content_charset() or "utf-8"
    return data.decode(charset, errors="replace")


def event_type_of(
    headers: Mapping[str, str], payload: Any, header: str, path: str, fallback: str = ""
) -> str:
    """From the JSONPath into the payload, else the header, else `fallback` (what a
    producer quirk's metadata names)."""
    if path and payload is not None:
        # RE2 regexes and a time bound: this runs inside the ingest request.
        try:
            with deadline.bounded(settings.ROUTING_TIME_LIMIT_SECONDS, "event_type_path"):
                found = [match.value for match in jsonpath.parse(path).find(payload)]
        except Exception:  # noqa: BLE001 - a bad path stored earlier must not break ingest
            found = []
        if found and isinstance(found[0], str | int | float | bool):
            return str(found[0])[:200]
    if header and headers.get(header.lower()):
        return headers[header.lower()][:200]
    return fallback[:200]


def body_key(body: bytes) -> str:
    """The idempotency key made of the body: "sha256:<hex digest>"."""
    return "sha256:" + hashlib.sha256(body).hexdigest()
