"""Turning a raw inbound request into the fields of an Event.

Nothing here raises on bad input: a body that does not parse is still stored raw,
with `payload` left empty.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings

from apps.core import deadline, jsonpath

DEFAULT_IDEMPOTENCY_HEADERS = ("x-github-delivery", "idempotency-key", "webhook-id")
GOOGLE_PREFIX = "x-goog-"
# Never stored as received, whatever the scheme; each scheme adds the headers that carry
# its own secret (Scheme.secret_headers).
REDACTED_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
REDACTED = "[redacted]"


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


def google_meta(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name[len(GOOGLE_PREFIX) :]: value
        for name, value in headers.items()
        if name.startswith(GOOGLE_PREFIX)
    }


def with_google_meta(payload: Any, meta: dict[str, str]) -> Any:
    """Google Calendar sends its news in X-Goog-* headers and an empty body."""
    if not meta:
        return payload
    if payload is None:
        return {"__goog_meta": meta}
    if isinstance(payload, dict):
        return {**payload, "__goog_meta": meta}
    return {"data": payload, "__goog_meta": meta}


def event_type_of(
    headers: Mapping[str, str], payload: Any, header: str, path: str, google: Mapping[str, str]
) -> str:
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
    return google.get("resource-state", "")[:200]


def idempotency_key_of(
    headers: Mapping[str, str], body: bytes, header: str, scheme_header: str | None
) -> str:
    candidates = [header.lower()] if header else []
    if scheme_header:
        candidates.append(scheme_header.lower())
    candidates.extend(DEFAULT_IDEMPOTENCY_HEADERS)
    for name in candidates:
        value = headers.get(name, "").strip()
        if value:
            return value[:300]
    return body_key(body)


def body_key(body: bytes) -> str:
    """The idempotency key made of the body: "sha256:<hex digest>"."""
    return "sha256:" + hashlib.sha256(body).hexdigest()
