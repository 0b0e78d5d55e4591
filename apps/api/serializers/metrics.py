"""Serializers of /api/metrics/: the sampled series and the live summary."""

from __future__ import annotations

from rest_framework import serializers

from apps.api.serializers.common import ReadOnlyModelSerializer
from apps.core.models import MetricPoint


class MetricPointSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = MetricPoint
        fields = [
            "collected_at",
            "interval_seconds",
            "events_received",
            "events_duplicate",
            "events_sig_failed",
            "deliveries_succeeded",
            "attempts_failed",
            "dead_lettered",
            "dead_letters_total",
            "queue_depth",
            "held",
            "success_rate",
            "throughput_per_minute",
        ]


class MetricSeriesSerializer(serializers.Serializer):
    results = MetricPointSerializer(many=True)


class MetricsQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text="ISO 8601; the last 24 hours when absent."
    )


class RecentFailureSerializer(serializers.Serializer):
    outcome_id = serializers.IntegerField()
    event_id = serializers.IntegerField()
    destination_name = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    last_error = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()


class MetricsSummarySerializer(serializers.Serializer):
    events_received_24h = serializers.IntegerField()
    delivered_24h = serializers.IntegerField()
    failed_attempts_24h = serializers.IntegerField()
    dead_letters = serializers.IntegerField()
    duplicates_24h = serializers.IntegerField()
    sig_failed_24h = serializers.IntegerField()
    filtered_24h = serializers.IntegerField(
        help_text="Events whose source has routes, none of which took them"
    )
    no_route_24h = serializers.IntegerField(help_text="Events whose source has no active route")
    queue_depth = serializers.IntegerField()
    held = serializers.IntegerField(help_text="Outcomes held by a pause or a disabled destination")
    waiting = serializers.IntegerField(
        help_text="Outcomes waiting behind an earlier event of their ordering key"
    )
    success_rate_24h = serializers.FloatField(allow_null=True, min_value=0, max_value=1)
    recent_failures = RecentFailureSerializer(many=True)
