"""Serializers of /api/issues/: an issue, its affected outcomes, and its replay's answer.

An issue's last error is the attempt's error text, which the HTTP client already cleans
of credentials (a URL's token is masked before any error is stored)."""

from __future__ import annotations

from rest_framework import serializers

from apps.api.serializers.common import ReadOnlyModelSerializer
from apps.core.models import Issue, Outcome


class IssueSerializer(ReadOnlyModelSerializer):
    destination_name = serializers.CharField(source="destination.name", read_only=True)
    destination_deleted = serializers.BooleanField(source="destination.is_deleted", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "destination",
            "destination_name",
            "destination_deleted",
            "kind",
            "kind_label",
            "status",
            "count",
            "first_seen",
            "last_seen",
            "last_error",
            "last_status_code",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "reopened_at",
        ]


class IssueDetailSerializer(IssueSerializer):
    affected = serializers.IntegerField(
        read_only=True, help_text="Outcomes with a failed attempt of this kind."
    )
    dead_letters = serializers.IntegerField(
        read_only=True, help_text="Of those, how many are dead letters (replay queues them)."
    )

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "affected", "dead_letters"]


class IssueOutcomeSerializer(ReadOnlyModelSerializer):
    """One affected outcome, with what the list of affected events shows of its event."""

    event_type = serializers.CharField(source="event.event_type", read_only=True)
    received_at = serializers.DateTimeField(source="event.received_at", read_only=True)
    source_name = serializers.CharField(source="event.source.name", read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "event",
            "event_type",
            "received_at",
            "source_name",
            "status",
            "attempt_count",
            "last_status_code",
            "last_error",
            "updated_at",
        ]


class IssueReplaySerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="Dead letters queued for a fresh series.")
    matched = serializers.IntegerField(help_text="How many a replay would queue without the cap.")
    capped = serializers.BooleanField(help_text="True when the cap left some out: run it again.")
    limit = serializers.IntegerField(help_text="The cap: BULK_REPLAY_MAX.")
