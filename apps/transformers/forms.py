"""HTML form submissions as a request for a transactional e-mail API.

Output (the common shape of Postmark/Resend/Mailgun-style JSON APIs)::

    {"from": ..., "to": [...], "subject": ..., "text": ..., "html": ..., "reply_to": ...}

Options: ``to`` (required; an address or a list), ``from`` (default
relaycore@localhost), ``subject`` (default "New form submission"; ``{field}``
placeholders are filled with form values: plain names only, never attribute or index
look-ups, and line breaks are removed so a form value cannot add mail headers).
``reply_to`` is set only when the form has a plausible address in an email field.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from apps.transformers.base import Outbound, Transformer, TransformError, TransformInput

DEFAULT_FROM = "relaycore@localhost"
DEFAULT_SUBJECT = "New form submission"
SUBJECT_LIMIT = 200
REPLY_TO_FIELDS = ("email", "e-mail", "email_address", "reply_to", "_replyto")
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\-]+)\}")
PLAUSIBLE_EMAIL = re.compile(r"^[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[A-Za-z]{2,}$")


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def form_fields(data: TransformInput) -> dict[str, str]:
    payload = data.payload
    if payload is None and "x-www-form-urlencoded" in data.content_type:
        payload = parse_qs(data.body.decode("utf-8", "replace"), keep_blank_values=True)
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise TransformError("form_to_email expects form fields (an object), got a list or value")
    return {str(name): _as_text(value) for name, value in payload.items()}


def recipients(options: Mapping[str, Any]) -> list[str]:
    to = options.get("to")
    found = [to] if isinstance(to, str) else to if isinstance(to, list) else []
    addresses = [item.strip() for item in found if isinstance(item, str) and item.strip()]
    if not addresses:
        raise TransformError('form_to_email needs the route option "to" (an e-mail address)')
    return addresses


def subject(template: Any, fields: Mapping[str, str]) -> str:
    if not isinstance(template, str) or not template.strip():
        template = DEFAULT_SUBJECT
    filled = PLACEHOLDER.sub(lambda match: fields.get(match.group(1), ""), template)
    one_line = " ".join(filled.split())
    return one_line[:SUBJECT_LIMIT] or DEFAULT_SUBJECT


def reply_to(fields: Mapping[str, str]) -> str | None:
    by_name = {name.lower(): value.strip() for name, value in fields.items()}
    for name in REPLY_TO_FIELDS:
        value = by_name.get(name, "")
        if len(value) <= 254 and PLAUSIBLE_EMAIL.match(value):
            return value
    return None


def as_text(fields: Mapping[str, str]) -> str:
    if not fields:
        return "(the form was submitted empty)"
    return "\n".join(f"{name}: {value}" for name, value in fields.items())


def _html_lines(value: str) -> str:
    return "<br>".join(html.escape(line) for line in value.splitlines())


def as_html(fields: Mapping[str, str]) -> str:
    rows = "".join(
        f'<tr><th align="left">{html.escape(name)}</th><td>{_html_lines(value)}</td></tr>'
        for name, value in fields.items()
    )
    return f"<table>{rows}</table>" if rows else "<p>(the form was submitted empty)</p>"


class FormToEmail(Transformer):
    name = "form_to_email"
    description = "HTML form submissions as an e-mail API request (options: to, from, subject)"

    def transform(self, data: TransformInput) -> Outbound:
        to = recipients(data.options)
        fields = form_fields(data)
        message = {
            "from": data.options.get("from") or DEFAULT_FROM,
            "to": to,
            "subject": subject(data.options.get("subject"), fields),
            "text": as_text(fields),
            "html": as_html(fields),
        }
        address = reply_to(fields)
        if address:
            message["reply_to"] = address
        return Outbound.json(message)

    def validate_options(self, options: Any) -> list[str]:
        if not isinstance(options, Mapping):
            return ["options must be an object"]
        try:
            recipients(options)
        except TransformError as exc:
            return [str(exc)]
        return []
