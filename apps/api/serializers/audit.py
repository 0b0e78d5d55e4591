"""Serializer of /api/audit-log/: who changed what (django-auditlog entries)."""

from __future__ import annotations

from auditlog.models import LogEntry
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.serializers.common import ReadOnlyModelSerializer
from apps.core.audit import actor_name, shown_changes

ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}


class AuditEntrySerializer(ReadOnlyModelSerializer):
    actor = serializers.SerializerMethodField()
    action = serializers.SerializerMethodField()
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    object_id = serializers.CharField(source="object_pk", read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_actor(self, entry: LogEntry) -> str | None:
        return actor_name(entry)

    @extend_schema_field({"type": "string", "enum": list(ACTIONS.values())})
    def get_action(self, entry: LogEntry) -> str:
        return ACTIONS.get(entry.action, str(entry.action))

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "string", "nullable": True},
            },
        }
    )
    def get_changes(self, entry: LogEntry) -> dict[str, list[str | None]]:
        model = entry.content_type.model_class() if entry.content_type_id else None
        created = entry.action == LogEntry.Action.CREATE
        return shown_changes(model, entry.changes_dict or {}, created=created)
