"""Serializer fields for JSON values that must also be safe to store.

PostgreSQL's jsonb refuses NUL characters, no database takes an unpaired surrogate, and
a deeply nested value blows the encoder's stack: each would be a 500 at save time, so
they are refused here as field errors.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_JSON_DEPTH = 32


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain NUL (\\u0000) characters"
    if any("\ud800" <= char <= "\udfff" for char in text):
        return "must not contain unpaired surrogate characters"
    return None


def json_problem(value: Any) -> str | None:
    """Why `value` cannot be stored as JSON, or None. Iterative: depth is checked, not hit."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return f"must not be nested more than {MAX_JSON_DEPTH} levels deep"
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = _text_problem(str(key))
                if problem:
                    return problem
                pending.append((child, depth + 1))
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
    return None


class SafeJSONField(serializers.JSONField):
    """Any JSON value that the database can store."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        problem = json_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


@extend_schema_field({"type": "object", "additionalProperties": {}})
class JSONObjectField(SafeJSONField):
    """A JSON object (options dictionaries, headers)."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be a JSON object")
        return value


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class HeadersField(JSONObjectField):
    """Request headers: an object of strings."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not all(isinstance(item, str) for item in value.values()):
            raise serializers.ValidationError("header values must be strings")
        return value


CONDITION_SCHEMA = {
    "type": "object",
    "properties": {
        "path": {"type": "string", "example": "$.ref"},
        "op": {"type": "string", "example": "equals"},
        "value": {},
    },
    "required": ["path", "op"],
}


CONDITION_SCHEMA["properties"]["path"]["description"] = (
    "$.<JSONPath> into the body, headers.<name> (case-insensitive) or query.<name>"
)
GROUP_SCHEMA = {
    "type": "object",
    "description": 'A group: exactly one of "any" (a list), "all" (a list) or "not" (one '
    "item); items are conditions or groups, nested up to 8 deep.",
    "properties": {
        "any": {"type": "array", "items": {"type": "object"}},
        "all": {"type": "array", "items": {"type": "object"}},
        "not": {"type": "object"},
    },
}


@extend_schema_field({"type": "array", "items": {"oneOf": [CONDITION_SCHEMA, GROUP_SCHEMA]}})
class ConditionsField(SafeJSONField):
    """Route conditions; their rules are checked by apps.routing.conditions."""
