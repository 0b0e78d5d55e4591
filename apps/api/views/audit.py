from __future__ import annotations

from auditlog.models import LogEntry
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from apps.api.filters import AUDITED_TYPES, AuditLogFilter
from apps.api.serializers.audit import AuditEntrySerializer


@extend_schema_view(
    list=extend_schema(
        tags=["audit"], summary="Changes to sources, destinations and routes: who, when, what"
    )
)
class AuditLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = LogEntry.objects.filter(
        content_type__app_label="core", content_type__model__in=AUDITED_TYPES
    ).select_related("actor", "content_type")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditLogFilter
    ordering_fields = ["timestamp", "id"]
    ordering = ["-timestamp", "-id"]
