"""Serializers of /api/sources/ and its secret rotation.

A secret is write-only: a response says whether one is set and shows its last four
characters (for long enough secrets), never the value. The list's figures (`stats`) come
from the view, read once a page (apps/api/stats.py)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.fields import JSONObjectField
from apps.api.rotation import last4, new_source_secret
from apps.api.serializers.common import (
    MAX_RATE_LIMIT,
    candidate,
    header_name,
    live_unique,
    overlap_hours_field,
    raise_for,
)
from apps.api.stats import PageTotals, source_stats
from apps.config.validation import source_errors, source_warnings
from apps.core import standard_webhooks
from apps.core.models import Source
from apps.ingestion.verification import SCHEMES, scheme_choices


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
            "warnings",
            "created_at",
            "updated_at",
            "stats",
        ]
        read_only_fields = ["previous_secret_expires_at", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"validators": [live_unique(Source, "slug")]}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
        return source_warnings(source)

    def get_secret_last4(self, source: Source) -> str:
        return last4(source.secret)

    @extend_schema_field(SourceStatsSerializer)
    def get_stats(self, source: Source) -> dict[str, Any]:
        totals: PageTotals = self.context["source_totals"]  # the view reads them once a page
        return SourceStatsSerializer(source_stats(source, totals)).data

    def validate_event_type_header(self, value: str) -> str:
        return header_name(value)

    def validate_idempotency_header(self, value: str) -> str:
        return header_name(value)

    def validate(self, attrs: dict) -> dict:
        source = candidate(self, attrs)
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
        raise_for(errors)
        return attrs


class SourceWriteResultSerializer(SourceSerializer):
    """A source as answered to a create or an update: `secret` is the generated secret,
    shown this once, or null when none was generated."""

    secret = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_secret(self, source: Source) -> str | None:
        return self.context.get("generated_secret")


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
