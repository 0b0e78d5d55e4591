"""Serializers of /api/destinations/: write-only auth header and signing secret, a URL
that carries a credential masked for everyone but admins, health, test sends, and a
destination's figures over a window (stats)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.api.destination_stats import DEFAULT_WINDOW, WINDOWS
from apps.api.fields import JSONObjectField
from apps.api.roles import Role, has_role
from apps.api.rotation import last4
from apps.api.serializers.common import (
    candidate,
    live_unique,
    overlap_hours_field,
    raise_for,
    released_field,
)
from apps.api.stats import held_count
from apps.config.validation import destination_errors
from apps.core.models import Destination
from apps.core.secret_urls import carries_credential, mask_url


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
        raise_for(destination_errors(candidate(self, attrs)))
        return attrs


class DestinationResumedSerializer(DestinationSerializer):
    """The answer of resume and enable: the destination and what it released."""

    released = released_field()

    class Meta(DestinationSerializer.Meta):
        fields = [*DestinationSerializer.Meta.fields, "released"]


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


class DestinationStatsQuerySerializer(serializers.Serializer):
    window = serializers.ChoiceField(
        choices=list(WINDOWS), default=DEFAULT_WINDOW, help_text="The span the figures cover."
    )


class RecentErrorSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the failed attempt started.")
    status_code = serializers.IntegerField(allow_null=True, help_text="null: no HTTP answer.")
    error = serializers.CharField(allow_blank=True)
    event = serializers.IntegerField()
    outcome = serializers.IntegerField()


class DestinationStatsSerializer(serializers.Serializer):
    window = serializers.ChoiceField(choices=list(WINDOWS))
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    attempts = serializers.IntegerField(help_text="HTTP attempts started in the window.")
    delivered = serializers.IntegerField(help_text="Attempts answered 2xx.")
    failed = serializers.IntegerField(help_text="Attempts not answered 2xx.")
    success_rate = serializers.FloatField(
        allow_null=True, help_text="delivered / attempts, 0 to 1; null with no attempt."
    )
    p50_ms = serializers.FloatField(allow_null=True, help_text="Median attempt duration.")
    p95_ms = serializers.FloatField(allow_null=True)
    held = serializers.IntegerField(help_text="Outcomes held now (any window).")
    dead_letters = serializers.IntegerField(help_text="Outcomes dead-lettered now (any window).")
    recent_errors = RecentErrorSerializer(many=True)
    health = DestinationHealthSerializer()
