"""Serializers of /api/deliveries/ (inbound events), /api/outcomes/ and their
attempts, and of bulk replay."""

from __future__ import annotations

import hashlib

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.bulk import has_filter
from apps.api.serializers.common import ReadOnlyModelSerializer
from apps.api.serializers.routing import RouteVerdictSerializer, named_verdicts
from apps.core.models import (
    Attempt,
    Event,
    Outcome,
    OutcomeStatus,
)


class AttemptSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Attempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "status_code",
            "response_body",
            "error",
            "transformation",
            "transformation_version",
        ]


class OutcomeSerializer(ReadOnlyModelSerializer):
    route_name = serializers.SerializerMethodField()
    route_deleted = serializers.SerializerMethodField()
    destination_name = serializers.SerializerMethodField()
    destination_deleted = serializers.SerializerMethodField()
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "event",
            "route",
            "route_name",
            "route_deleted",
            "destination",
            "destination_name",
            "destination_deleted",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "updated_at",
            "attempts",
        ]

    def get_route_name(self, outcome: Outcome) -> str:
        return outcome.route.name if outcome.route else ""

    def get_destination_name(self, outcome: Outcome) -> str:
        return outcome.destination.name if outcome.destination else ""

    # True also for rows from before deletes were soft, whose link was cleared.
    def get_route_deleted(self, outcome: Outcome) -> bool:
        return outcome.route is None or outcome.route.is_deleted

    def get_destination_deleted(self, outcome: Outcome) -> bool:
        return outcome.destination is None or outcome.destination.is_deleted


class OutcomeCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    delivering = serializers.IntegerField()
    retrying = serializers.IntegerField()
    delivered = serializers.IntegerField()
    dead_lettered = serializers.IntegerField()
    filtered = serializers.IntegerField()
    held = serializers.IntegerField()


class EventSerializer(ReadOnlyModelSerializer):
    source_slug = serializers.CharField(source="source.slug", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)
    source_deleted = serializers.BooleanField(source="source.is_deleted", read_only=True)
    outcome_counts = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "source",
            "source_slug",
            "source_name",
            "source_deleted",
            "received_at",
            "event_type",
            "status",
            "error",
            "idempotency_key",
            "outcome_counts",
        ]

    @extend_schema_field(OutcomeCountsSerializer)
    def get_outcome_counts(self, event: Event) -> dict[str, int]:
        if hasattr(event, "outcomes_pending"):
            return {status: getattr(event, f"outcomes_{status}") for status in OutcomeStatus.values}
        counts = dict.fromkeys(OutcomeStatus.values, 0)
        for outcome in event.outcomes.all():
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        return counts


class EventDetailSerializer(EventSerializer):
    headers = serializers.JSONField(read_only=True)
    body = serializers.SerializerMethodField()
    payload = serializers.JSONField(read_only=True, allow_null=True)
    body_truncated = serializers.SerializerMethodField(
        help_text="True when only the first SIG_FAILED_BODY_BYTES of the body were kept "
        "(sig_failed rows); body_size and body_sha256 describe the whole body."
    )
    body_size = serializers.SerializerMethodField()
    body_sha256 = serializers.SerializerMethodField()
    outcomes = OutcomeSerializer(many=True, read_only=True)
    routing = serializers.SerializerMethodField(
        help_text="Each route of the source when the event was routed: whether it took the "
        "event, and why not. Null before the event is routed."
    )

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "headers",
            "body",
            "content_type",
            "query_string",
            "payload",
            "body_truncated",
            "body_size",
            "body_sha256",
            "purged_at",
            "routing_failures",
            "routing",
            "outcomes",
        ]

    @extend_schema_field(RouteVerdictSerializer(many=True, allow_null=True))
    def get_routing(self, event: Event) -> list[dict] | None:
        return named_verdicts(event)

    def get_body(self, event: Event) -> str:
        return event.body_text()

    def get_body_truncated(self, event: Event) -> bool:
        return event.body_truncated

    def get_body_size(self, event: Event) -> int:
        # Rows kept whole (all but sig_failed ones) have no stored size: it is the body's.
        return event.body_size if event.body_size is not None else len(bytes(event.body))

    def get_body_sha256(self, event: Event) -> str:
        return event.body_sha256 or hashlib.sha256(bytes(event.body)).hexdigest()


class QueuedSerializer(serializers.Serializer):
    queued = serializers.IntegerField()


REPLAYABLE_STATUSES = [
    OutcomeStatus.DEAD_LETTERED,
    OutcomeStatus.RETRYING,
    OutcomeStatus.DELIVERED,
]


# The largest id a database column holds; beyond it a filter is a 400, not a 500.
MAX_ID = 2**63 - 1


class BulkReplaySerializer(serializers.Serializer):
    """Which outcomes to replay: the events of the list's filters, then the outcomes'."""

    source = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    source_slug = serializers.CharField(required=False, max_length=100)
    status = serializers.ChoiceField(
        choices=Event._meta.get_field("status").choices,
        required=False,
        help_text="Event status. Events refused at ingest (sig_failed, duplicate) are "
        "never replayed.",
    )
    event_type = serializers.CharField(required=False, max_length=200, allow_blank=True)
    received_after = serializers.DateTimeField(required=False)
    received_before = serializers.DateTimeField(required=False)
    search = serializers.CharField(required=False, max_length=500, allow_blank=True)
    destination = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    route = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    outcome_status = serializers.ChoiceField(
        choices=REPLAYABLE_STATUSES,
        default=OutcomeStatus.DEAD_LETTERED,
        help_text="`delivered` needs `include_delivered: true`.",
    )
    include_delivered = serializers.BooleanField(
        default=False, help_text="Also re-send outcomes already delivered."
    )
    dry_run = serializers.BooleanField(default=False)

    def validate(self, data: dict) -> dict:
        if not has_filter(data):
            raise serializers.ValidationError("bulk replay needs at least one filter")
        if data["outcome_status"] == OutcomeStatus.DELIVERED and not data["include_delivered"]:
            raise serializers.ValidationError(
                {"include_delivered": ["re-sending delivered outcomes needs include_delivered"]}
            )
        return data


class BulkReplayResultSerializer(serializers.Serializer):
    queued = serializers.IntegerField(required=False, help_text="Absent on a dry run.")
    would_queue = serializers.IntegerField(required=False, help_text="Only on a dry run.")
    matched = serializers.IntegerField(help_text="How many a replay would queue without the cap.")
    capped = serializers.BooleanField(help_text="True when the cap left some out.")
    limit = serializers.IntegerField(help_text="The cap: BULK_REPLAY_MAX.")
