"""JSON log lines, one object per line, for LOG_FORMAT=json.

    {"time": "2026-11-29T09:30:01.123Z", "level": "INFO", "logger": "apps.delivery.pipeline",
     "event": "event.routed", "fields": {"event_id": 7, "routes": 2},
     "message": "event.routed event_id=7 routes=2"}

`event` and `fields` come from apps.core.logs.log_event (null for other log calls).
Secrets stay out: a field whose name looks like a credential is replaced by
"[redacted]", and so is the value after such a name inside any text (the message, a
string field, a traceback).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted]"
SECRET_NAME = re.compile(
    r"auth(?!ors?(?:\b|_))|cookie|passw|secret|token|api[_-]?key|signature|credential"
    r"|private[_-]?key|dsn",
    re.IGNORECASE,
)
# `name=value`, `name: value`, `"name": "value"`: the value up to a space, quote or comma.
SECRET_IN_TEXT = re.compile(
    r"(?P<name>[\w-]*(?:authorization|cookie|passw\w*|secret|token|api[_-]?key|signature)"
    r"[\w-]*)(?P<sep>\"?\s*[=:]\s*\"?)(?:(?:bearer|basic|token)\s+)?(?P<value>[^\s\",;]+)",
    re.IGNORECASE,
)


def redact_fields(fields: Any) -> Any:
    if isinstance(fields, dict):
        return {
            key: REDACTED if SECRET_NAME.search(str(key)) else redact_fields(value)
            for key, value in fields.items()
        }
    if isinstance(fields, list | tuple):
        return [redact_fields(value) for value in fields]
    if isinstance(fields, str):
        return redact_text(fields)
    return fields


def redact_text(text: str) -> str:
    return SECRET_IN_TEXT.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "event", None)
        fields = redact_fields(getattr(record, "fields", None) or {})
        if event:
            # Rebuilt from the redacted fields: the original text holds the raw values.
            detail = " ".join(f"{key}={value}" for key, value in fields.items())
            message = f"{event} {detail}".strip()
        else:
            message = redact_text(record.getMessage())
        line = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "event": event,
            "fields": fields,
            "message": message,
        }
        if record.exc_info:
            line["exception"] = redact_text(self.formatException(record.exc_info))
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def _utc(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
