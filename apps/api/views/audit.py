"""/api/audit-log/: the change history of the configuration and of API tokens."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from apps.api.filters import AuditLogFilter, audit_entries
from apps.api.serializers.audit import AuditEntrySerializer


@extend_schema_view(
    list=extend_schema(
        tags=["audit"],
        summary="Changes to the configuration and API tokens: who, when, what",
        description="Entries of API tokens (object_type apitoken) are listed to admins only.",
    )
)
class AuditLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = LogEntry.objects.none()  # the schema's model; get_queryset() scopes by role
    serializer_class = AuditEntrySerializer
    filterset_class = AuditLogFilter
    ordering_fields = ["timestamp", "id"]
    ordering = ["-timestamp", "-id"]

    def get_queryset(self) -> QuerySet[LogEntry]:
        return audit_entries(self.request.user).select_related("actor", "content_type")
