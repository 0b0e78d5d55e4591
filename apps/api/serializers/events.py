"""Serializers of /api/deliveries/ (inbound events), /api/outcomes/ and their
attempts, and of bulk replay."""

from __future__ import annotations

import hashlib

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.bulk import has_filter
from apps.api.serializers.common import ReadOnlyModelSerializer
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


class OrderingSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The route's ordering key, e.g. $.repository.full_name")
    value = serializers.CharField(help_text="This event's value of it")
    dead_letter_blocks = serializers.BooleanField(
        help_text="A dead letter blocks the key until replayed (else the next one goes)"
    )


class OutcomeSerializer(ReadOnlyModelSerializer):
    ordering = serializers.SerializerMethodField(
        help_text="Set when the outcome is delivered in order of its key; null otherwise."
    )
    waiting_for_event = serializers.SerializerMethodField(
        help_text="While waiting: the event of the outcome it waits for."
    )
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
            "ordering",
            "waiting_for",
            "waiting_for_event",
            "attempt_count",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "updated_at",
            "attempts",
        ]

    @extend_schema_field(OrderingSerializer(allow_null=True))
    def get_ordering(self, outcome: Outcome) -> dict | None:
        if not outcome.ordering_key or outcome.route is None:
            return None
        return {
            "key": outcome.route.ordering_key,
            "value": outcome.ordering_key,
            "dead_letter_blocks": outcome.route.ordering_dead_letter_blocks,
        }

    def get_waiting_for_event(self, outcome: Outcome) -> int | None:
        if outcome.waiting_for_id is None:
            return None
        found = Outcome.objects.filter(pk=outcome.waiting_for_id).values_list("event_id")
        return next(iter(found), (None,))[0]

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
    waiting = serializers.IntegerField()


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
            "outcomes",
        ]

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
