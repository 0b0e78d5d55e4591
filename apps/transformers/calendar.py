"""Google Calendar push notifications as a row for a database REST insert endpoint.

Google tells a watch channel that "something changed" with X-Goog-* headers and, for
calendar watches, an empty body. Ingestion merges those headers into the payload under
``__goog_meta`` (lower-case names without the ``x-goog-`` prefix); if they are not there
this transformer reads the request headers themselves. Output::

    {"table": "calendar_notifications",
     "record": {"channel_id", "resource_id", "resource_state", "resource_uri",
                "message_number", "channel_expiration", "received_at", "event",
                "calendar_event_id", "summary", "start", "end", "status", "html_link",
                "organizer_email", "attendee_emails"}}

Every key is always present (null when unknown) so each row has the same columns. The
calendar columns are filled when the payload is a Calendar event resource
(``"kind": "calendar#event"``). The channel token is left out: it is a shared secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from apps.transformers.base import Outbound, Transformer, TransformError, TransformInput

META_KEY = "__goog_meta"
REQUIRED_META = ("channel-id", "resource-state")
DEFAULT_TABLE = "calendar_notifications"
TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,62}$")


def goog_meta(data: TransformInput) -> dict[str, Any]:
    payload = data.payload
    meta = payload.get(META_KEY) if isinstance(payload, dict) else None
    if isinstance(meta, dict) and meta:
        return {str(key).lower(): value for key, value in meta.items()}
    return {
        name.lower().removeprefix("x-goog-"): value
        for name, value in data.headers.items()
        if name.lower().startswith("x-goog-")
    }


def _require(meta: dict[str, Any]) -> None:
    missing = [key for key in REQUIRED_META if not meta.get(key)]
    if missing:
        names = ", ".join(f"X-Goog-{key}" for key in missing)
        raise TransformError(
            f"not a Google Calendar push notification: {names} missing "
            f"(looked in payload['{META_KEY}'] and the request headers)"
        )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _expiration(value: Any) -> str | None:
    """Google sends an RFC 1123 date; databases prefer ISO 8601. Unparseable: as sent."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError):
        return value


def _event_part(payload: Any) -> Any:
    if isinstance(payload, dict):
        rest = {key: value for key, value in payload.items() if key != META_KEY}
        return rest or None
    return payload


def _when(value: Any) -> str | None:
    # {"dateTime": ...} for timed events, {"date": ...} for all-day ones.
    if isinstance(value, dict):
        return value.get("dateTime") or value.get("date")
    return value if isinstance(value, str) else None


def _attendee_emails(value: Any) -> list[str]:
    attendees = value if isinstance(value, list) else []
    return [a["email"] for a in attendees if isinstance(a, dict) and a.get("email")]


def calendar_columns(event: Any) -> dict[str, Any]:
    resource = event if isinstance(event, dict) and event.get("kind") == "calendar#event" else {}
    organizer = resource.get("organizer")
    return {
        "calendar_event_id": resource.get("id"),
        "summary": resource.get("summary"),
        "start": _when(resource.get("start")),
        "end": _when(resource.get("end")),
        "status": resource.get("status"),
        "html_link": resource.get("htmlLink"),
        "organizer_email": organizer.get("email") if isinstance(organizer, dict) else None,
        "attendee_emails": _attendee_emails(resource.get("attendees")) if resource else None,
    }


def build_record(data: TransformInput, meta: dict[str, Any]) -> dict[str, Any]:
    event = _event_part(data.payload)
    return {
        "channel_id": meta.get("channel-id"),
        "resource_id": meta.get("resource-id"),
        "resource_state": meta.get("resource-state"),
        "resource_uri": meta.get("resource-uri"),
        "message_number": _int_or_none(meta.get("message-number")),
        "channel_expiration": _expiration(meta.get("channel-expiration")),
        "received_at": data.received_at.isoformat() if data.received_at else None,
        "event": event,
        **calendar_columns(event),
    }


class CalendarToDatabase(Transformer):
    name = "calendar_to_database"
    description = "Google Calendar push notifications as a database row (option: table)"

    def transform(self, data: TransformInput) -> Outbound:
        problems = self.validate_options(data.options)
        if problems:
            raise TransformError("; ".join(problems))
        meta = goog_meta(data)
        _require(meta)
        table = data.options.get("table", DEFAULT_TABLE)
        return Outbound.json({"table": table, "record": build_record(data, meta)})

    def validate_options(self, options: Any) -> list[str]:
        if not isinstance(options, Mapping):
            return ["options must be an object"]
        table = options.get("table", DEFAULT_TABLE)
        if not isinstance(table, str) or not TABLE_NAME.match(table):
            return ['option "table" must be a table name such as calendar_notifications']
        return []
