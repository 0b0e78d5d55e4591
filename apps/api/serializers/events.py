"""Serializers of /api/deliveries/ (inbound events), /api/outcomes/ and their
attempts, and of bulk replay."""

from __future__ import annotations

import hashlib

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.bulk import has_filter
from apps.api.delivery_state import STATES, delivery_state
from apps.api.serializers.common import ReadOnlyModelSerializer
from apps.api.serializers.routing import RouteVerdictSerializer, named_verdicts
from apps.core.models import (
    Attempt,
    Event,
    Outcome,
    OutcomeStatus,
    Replay,
    ReplayVia,
)


class AttemptRequestSerializer(serializers.Serializer):
    """The request an attempt sent, as stored: masked, its body cut at
    ATTEMPT_BODY_LIMIT_BYTES (apps/delivery/recorded.py)."""

    method = serializers.CharField()
    url = serializers.CharField(help_text="Credentials in the URL read ***.")
    headers = serializers.DictField(
        child=serializers.CharField(),
        help_text="As sent; webhook-signature entries read v1,[redacted], the auth "
        "header [redacted].",
    )
    body = serializers.CharField(help_text="Empty once retention purged the event.")
    body_size = serializers.IntegerField(help_text="Bytes of the whole body as sent.")
    body_truncated = serializers.BooleanField(
        help_text="True when the body was longer than ATTEMPT_BODY_LIMIT_BYTES and was cut."
    )


class ReplayMarkSerializer(serializers.Serializer):
    by = serializers.CharField(help_text="The username; empty for a command-line replay.")
    via = serializers.ChoiceField(choices=ReplayVia.choices)
    at = serializers.DateTimeField()


class OutcomeReplaySerializer(ReplayMarkSerializer):
    first_attempt = serializers.IntegerField(help_text="The number of the series' first attempt.")


def replay_mark(replay: Replay) -> dict:
    return {"by": replay.requested_by, "via": replay.via, "at": replay.requested_at}


class AttemptSerializer(ReadOnlyModelSerializer):
    request = serializers.SerializerMethodField()
    response_headers = serializers.DictField(child=serializers.CharField(), read_only=True)
    replay = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "request",
            "status_code",
            "response_headers",
            "response_body",
            "error",
            "transformation",
            "transformation_version",
            "replay",
        ]

    @extend_schema_field(AttemptRequestSerializer(allow_null=True))
    def get_request(self, attempt: Attempt) -> dict | None:
        if not attempt.request_method:
            return None  # nothing was sent (older rows, or no request was made)
        return {
            "method": attempt.request_method,
            "url": attempt.request_url,
            "headers": attempt.request_headers,
            "body": attempt.request_body,
            "body_size": attempt.request_body_size or 0,
            "body_truncated": attempt.request_body_truncated,
        }

    @extend_schema_field(ReplayMarkSerializer(allow_null=True))
    def get_replay(self, attempt: Attempt) -> dict | None:
        """Who replayed the outcome, on the first attempt of the series they started."""
        starting = [r for r in attempt.outcome.replays.all() if r.first_attempt == attempt.number]
        return replay_mark(starting[-1]) if starting else None


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
    replays = serializers.SerializerMethodField()

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
            "total_attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "updated_at",
            "attempts",
            "replays",
        ]
        extra_kwargs = {
            "attempt_count": {"help_text": "Attempts since the last replay (or in all, if none)."},
            "total_attempts": {"help_text": "Attempts in all, across replays: the timeline's."},
        }

    @extend_schema_field(OutcomeReplaySerializer(many=True))
    def get_replays(self, outcome: Outcome) -> list[dict]:
        return [
            {**replay_mark(replay), "first_attempt": replay.first_attempt}
            for replay in outcome.replays.all()
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
    delivery_state = serializers.SerializerMethodField(
        help_text="Where the event's outcomes stand together (apps/api/delivery_state.py); "
        "null when it has none."
    )

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
            "delivery_state",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=STATES, allow_null=True))
    def get_delivery_state(self, event: Event) -> str | None:
        return delivery_state(self.get_outcome_counts(event))

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
