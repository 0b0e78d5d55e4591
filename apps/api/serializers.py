"""Serializers of the API resources (docs/api.md).

Secrets are write-only: a response says whether one is set and shows its last four
characters (for long enough secrets), never the value. Validation calls the same rule
functions as the models and the admin (apps.core.validation), so errors name the field.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from auditlog.models import LogEntry
from django.db import models
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from apps.api.fields import ConditionsField, HeadersField, JSONObjectField, SafeJSONField
from apps.api.roles import Role, has_role
from apps.api.rotation import last4, new_source_secret
from apps.api.stats import PageTotals, source_stats
from apps.core import standard_webhooks
from apps.core.models import (
    Attempt,
    Destination,
    Event,
    MetricPoint,
    Outcome,
    OutcomeStatus,
    Route,
    Source,
)
from apps.core.secret_urls import carries_credential, mask_url

HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
MAX_RATE_LIMIT = 1_000_000
MAX_PRIORITY = 1_000_000


def _candidate(serializer: serializers.ModelSerializer, attrs: dict) -> models.Model:
    """The instance as it would be saved: the current one with `attrs` applied."""
    model = serializer.Meta.model
    instance = copy.copy(serializer.instance) if serializer.instance else model()
    for name, value in attrs.items():
        setattr(instance, name, value)
    return instance


def _raise_for(errors: dict[str, list[str]]) -> None:
    if errors:
        raise serializers.ValidationError(errors)


def _header_name(value: str) -> str:
    if value and not HEADER_NAME.fullmatch(value):
        raise serializers.ValidationError("must be an HTTP header name, e.g. X-GitHub-Event")
    return value


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    """For resources the API only shows: every field is read-only (and so required in
    the schema of the response)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
            field.required = False
        return fields


# -- Sources -------------------------------------------------------------------------


def live_unique(model: type, field: str) -> UniqueValidator:
    """Unique among live rows only: a deleted object's name or slug may be taken again
    (the model's constraint is conditional, which DRF does not turn into a validator)."""
    label = model._meta.verbose_name
    return UniqueValidator(
        queryset=model.objects.all(), message=f"A {label} with this {field} already exists."
    )


class SourceStatsSerializer(serializers.Serializer):
    events_total = serializers.IntegerField()
    events_24h = serializers.IntegerField()
    sig_failed_24h = serializers.IntegerField()
    last_event_at = serializers.DateTimeField(allow_null=True)


class SourceSerializer(serializers.ModelSerializer):
    ingest_url = serializers.SerializerMethodField()
    verification_scheme = serializers.ChoiceField(
        choices=(),
        help_text="Required: no scheme is assumed. 'none' accepts unsigned requests "
        "(see warnings).",
    )
    dedupe_by_body = serializers.BooleanField(
        required=False,
        help_text="Body-only schemes (github, shopify, hmac, hmac_sha256): the body's "
        "SHA-256 is the idempotency key, whatever id header a request carries.",
    )
    warnings = serializers.SerializerMethodField()
    verification_options = JSONObjectField(required=False)
    secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Write-only. Omit on create to have one generated (shown once).",
    )
    secret_set = serializers.SerializerMethodField()
    secret_last4 = serializers.SerializerMethodField()
    rate_limit_per_minute = serializers.IntegerField(
        min_value=0, max_value=MAX_RATE_LIMIT, required=False
    )
    stats = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id",
            "name",
            "slug",
            "ingest_url",
            "verification_scheme",
            "verification_options",
            "secret",
            "secret_set",
            "secret_last4",
            "previous_secret_expires_at",
            "event_type_header",
            "event_type_path",
            "idempotency_header",
            "dedupe_by_body",
            "rate_limit_per_minute",
            "is_active",
            "paused",
            "warnings",
            "created_at",
            "updated_at",
            "stats",
        ]
        # paused: changed through POST .../pause/ and .../resume/ (operators).
        read_only_fields = ["previous_secret_expires_at", "paused", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"validators": [live_unique(Source, "slug")]}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from apps.ingestion.verification import scheme_choices

        self.fields["verification_scheme"].choices = scheme_choices()
        self.generated_secret: str | None = None

    def get_ingest_url(self, source: Source) -> str:
        try:
            path = reverse("webhook-receive", kwargs={"slug": source.slug})
        except NoReverseMatch:
            path = f"/webhooks/receive/{source.slug}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_secret_set(self, source: Source) -> bool:
        return bool(source.secret)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, source: Source) -> list[str]:
        from apps.core.validation import source_warnings

        return source_warnings(source)

    def get_secret_last4(self, source: Source) -> str:
        return last4(source.secret)

    @extend_schema_field(SourceStatsSerializer)
    def get_stats(self, source: Source) -> dict[str, Any]:
        # The list's serializers share one context: the totals are read once a page.
        if "source_totals" not in self.context:
            self.context["source_totals"] = PageTotals.read()
        return SourceStatsSerializer(source_stats(source, self.context["source_totals"])).data

    def validate_event_type_header(self, value: str) -> str:
        return _header_name(value)

    def validate_idempotency_header(self, value: str) -> str:
        return _header_name(value)

    def validate(self, attrs: dict) -> dict:
        from apps.core.validation import source_errors
        from apps.ingestion.verification import SCHEMES

        source = _candidate(self, attrs)
        scheme = SCHEMES.get(source.verification_scheme)
        if scheme and scheme.needs_secret and not source.secret and "secret" not in attrs:
            self.generated_secret = new_source_secret(scheme.name)
            attrs["secret"] = source.secret = self.generated_secret
        errors = source_errors(source)
        if (
            source.verification_scheme == "standard_webhooks"
            and source.secret
            and not standard_webhooks.is_valid_secret(source.secret)
        ):
            errors.setdefault("secret", []).append(
                "must be a whsec_ secret (base64 after the whsec_ prefix)"
            )
        _raise_for(errors)
        return attrs


class SourceWriteResultSerializer(SourceSerializer):
    """A source as answered to a create or an update: `secret` is the generated secret,
    shown this once, or null when none was generated."""

    secret = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_secret(self, source: Source) -> str | None:
        return self.context.get("generated_secret")


def overlap_hours_field(help_text: str) -> serializers.IntegerField:
    """How long a rotated-out secret stays valid: 0 to 30 days, 24 h by default."""
    return serializers.IntegerField(min_value=0, max_value=24 * 30, default=24, help_text=help_text)


class RotateSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="The new secret; generated when absent.",
    )
    overlap_hours = overlap_hours_field("How long the previous secret keeps working.")


class RotatedSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new secret, shown once.")
    previous_secret_expires_at = serializers.DateTimeField(allow_null=True)


# -- Destinations -------------------------------------------------------------------


class DestinationHealthSerializer(serializers.Serializer):
    consecutive_failures = serializers.IntegerField()
    failing_since = serializers.DateTimeField(
        allow_null=True, help_text="When the current run of failures began (auto-disable)."
    )
    disabled_until = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True)
    last_success_at = serializers.DateTimeField(allow_null=True)
    last_failure_at = serializers.DateTimeField(allow_null=True)


class DestinationSerializer(serializers.ModelSerializer):
    url = serializers.URLField(
        max_length=2000,
        help_text="Shown in full to admins only; for others a URL that carries a "
        "credential (Slack, Discord, ?token=...) is masked (see url_masked).",
    )
    url_masked = serializers.SerializerMethodField()
    auth_header = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="Write-only. 'Header-Name: value' (a bare value is sent as Authorization).",
    )
    auth_header_set = serializers.SerializerMethodField()
    auth_header_last4 = serializers.SerializerMethodField()
    timeout_seconds = serializers.FloatField(min_value=0.5, max_value=60, required=False)
    signing_secret_set = serializers.SerializerMethodField()
    signing_secret_last4 = serializers.SerializerMethodField()
    health = DestinationHealthSerializer(source="*", read_only=True)
    held_count = serializers.SerializerMethodField(
        help_text="Outcomes held (paused or disabled): sent once resumed or enabled."
    )

    class Meta:
        model = Destination
        fields = [
            "id",
            "name",
            "url",
            "url_masked",
            "auth_header",
            "auth_header_set",
            "auth_header_last4",
            "timeout_seconds",
            "is_active",
            "paused",
            "disabled_at",
            "disabled_reason",
            "held_count",
            "signing_secret_set",
            "signing_secret_last4",
            "previous_signing_secret_expires_at",
            "health",
            "created_at",
            "updated_at",
        ]
        # paused: through pause/resume; disabled_*: set by auto-disable, cleared by enable.
        read_only_fields = [
            "previous_signing_secret_expires_at",
            "paused",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"name": {"validators": [live_unique(Destination, "name")]}}

    def _shows_secrets(self) -> bool:
        request = self.context.get("request")
        return request is not None and has_role(request.user, Role.ADMIN)

    def get_url_masked(self, destination: Destination) -> bool:
        return not self._shows_secrets() and carries_credential(destination.url)

    def to_representation(self, destination: Destination) -> dict[str, Any]:
        data = super().to_representation(destination)
        if data.get("url_masked"):
            data["url"] = mask_url(destination.url)
        return data

    def get_held_count(self, destination: Destination) -> int:
        from apps.api.stats import held_count

        return held_count(destination, "destination")

    def get_auth_header_set(self, destination: Destination) -> bool:
        return bool(destination.auth_header)

    def get_auth_header_last4(self, destination: Destination) -> str:
        return last4(destination.auth_header)

    def get_signing_secret_set(self, destination: Destination) -> bool:
        return bool(destination.signing_secret)

    def get_signing_secret_last4(self, destination: Destination) -> str:
        return last4(destination.signing_secret)

    def validate_auth_header(self, value: str) -> str:
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise serializers.ValidationError(
                "must be one line of printable text: 'Header-Name: value'"
            )
        return value

    def validate(self, attrs: dict) -> dict:
        from apps.core.validation import destination_errors

        _raise_for(destination_errors(_candidate(self, attrs)))
        return attrs


class RotateSigningSecretSerializer(serializers.Serializer):
    overlap_hours = overlap_hours_field(
        "How long deliveries also carry a signature with the previous secret."
    )


class RotatedSigningSecretSerializer(serializers.Serializer):
    signing_secret = serializers.CharField(help_text="The new whsec_ secret, shown once.")
    previous_signing_secret_expires_at = serializers.DateTimeField(allow_null=True)


class DestinationTestSerializer(serializers.Serializer):
    payload = JSONObjectField(
        required=False, help_text="The JSON body to send; a sample event when absent."
    )


class SendResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    status_code = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.FloatField()
    response_body = serializers.CharField(allow_blank=True)
    error = serializers.CharField(allow_blank=True)


# -- Routes ---------------------------------------------------------------------------


class RouteSerializer(serializers.ModelSerializer):
    source_slug = serializers.CharField(source="source.slug", read_only=True)
    destination_name = serializers.CharField(source="destination.name", read_only=True)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=200, trim_whitespace=False), required=False
    )
    conditions = ConditionsField(required=False)
    transformer = serializers.ChoiceField(choices=(), required=False)
    transformer_options = JSONObjectField(required=False)
    priority = serializers.IntegerField(
        min_value=-MAX_PRIORITY, max_value=MAX_PRIORITY, required=False
    )
    rate_limit_per_minute = serializers.IntegerField(
        min_value=0, max_value=MAX_RATE_LIMIT, required=False
    )
    held_count = serializers.SerializerMethodField(
        help_text="Outcomes held (route or destination paused or disabled)."
    )

    class Meta:
        model = Route
        fields = [
            "id",
            "name",
            "source",
            "source_slug",
            "destination",
            "destination_name",
            "event_types",
            "conditions",
            "transformer",
            "transformer_options",
            "priority",
            "rate_limit_per_minute",
            "is_active",
            "paused",
            "held_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["paused", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": [live_unique(Route, "name")]}}

    def get_held_count(self, route: Route) -> int:
        from apps.api.stats import held_count

        return held_count(route, "route")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from apps.transformers.registry import transformer_choices

        self.fields["transformer"].choices = [name for name, _ in transformer_choices()]

    def validate(self, attrs: dict) -> dict:
        from apps.core.validation import route_errors
        from apps.transformers.registry import TRANSFORMERS

        route = _candidate(self, attrs)
        errors = route_errors(route)
        transformer = TRANSFORMERS.get(route.transformer)
        if transformer and "transformer_options" not in errors:
            for message in transformer.validate_options(route.transformer_options):
                errors.setdefault("transformer_options", []).append(message)
        _raise_for(errors)
        return attrs


class RouteTestSerializer(serializers.Serializer):
    event_type = serializers.CharField(max_length=200, allow_blank=True, default="")
    payload = SafeJSONField(default=dict, help_text="The sample event body (any JSON).")
    headers = HeadersField(default=dict)


class FailedConditionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    path = serializers.JSONField(allow_null=True)
    op = serializers.JSONField(allow_null=True)
    value = serializers.JSONField(allow_null=True)
    detail = serializers.CharField()


class RouteOutputSerializer(serializers.Serializer):
    content_type = serializers.CharField()
    body = serializers.JSONField(help_text="Parsed JSON when the content type is JSON, else text.")


class RouteTestResultSerializer(serializers.Serializer):
    matched = serializers.BooleanField()
    reason = serializers.CharField()
    failed_condition = FailedConditionSerializer(allow_null=True)
    output = RouteOutputSerializer(allow_null=True)
    error = serializers.CharField(allow_blank=True)


class OperatorsSerializer(serializers.Serializer):
    operators = serializers.ListField(child=serializers.CharField())


# -- Deliveries (inbound events), outcomes, attempts ---------------------------------


class AttemptSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "started_at", "duration_ms", "status_code", "response_body", "error"]


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

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "headers",
            "body",
            "content_type",
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
        from apps.api.bulk import has_filter

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


# -- Metrics --------------------------------------------------------------------------


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
    queue_depth = serializers.IntegerField()
    held = serializers.IntegerField(help_text="Outcomes held by a pause or a disabled destination")
    success_rate_24h = serializers.FloatField(allow_null=True, min_value=0, max_value=1)
    recent_failures = RecentFailureSerializer(many=True)


# -- Audit log ----------------------------------------------------------------------------

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
        return entry.actor.get_username() if entry.actor else None

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
        return {field: list(pair) for field, pair in (entry.changes_dict or {}).items()}


# -- Registries and auth -----------------------------------------------------------------


class TransformerInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class TransformerListSerializer(serializers.Serializer):
    results = TransformerInfoSerializer(many=True)


class SchemeInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    needs_secret = serializers.BooleanField()
    options = serializers.ListField(child=serializers.CharField())


class SchemeListSerializer(serializers.Serializer):
    results = SchemeInfoSerializer(many=True)


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_staff = serializers.BooleanField()
    role = serializers.ChoiceField(
        choices=["viewer", "operator", "admin"],
        allow_null=True,
        help_text="None: the account has no role and may read nothing but this endpoint.",
    )
    capabilities = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the role allows: read, replay, reroute, bulk_replay, test, pause, "
        "configure, secrets, tokens, users.",
    )


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField()
