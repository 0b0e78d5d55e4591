"""Serializers of /api/routes/ and of a route test (which condition failed, what
would be sent)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.api.fields import ConditionsField, HeadersField, JSONObjectField, SafeJSONField
from apps.api.serializers.common import (
    MAX_PRIORITY,
    MAX_RATE_LIMIT,
    candidate,
    live_unique,
    raise_for,
    released_field,
)
from apps.api.stats import held_count
from apps.config.validation import route_errors
from apps.core.models import Route
from apps.transformers.registry import TRANSFORMERS, transformer_choices


class RouteSerializer(serializers.ModelSerializer):
    source_slug = serializers.CharField(source="source.slug", read_only=True)
    destination_name = serializers.CharField(source="destination.name", read_only=True)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=200, trim_whitespace=False), required=False
    )
    conditions = ConditionsField(required=False)
    transformer = serializers.ChoiceField(choices=(), required=False, allow_blank=True)
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
            "transformation",
            "priority",
            "rate_limit_per_minute",
            "ordering_key",
            "ordering_dead_letter_blocks",
            "is_active",
            "paused",
            "held_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["paused", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": [live_unique(Route, "name")]}}

    def get_held_count(self, route: Route) -> int:
        return held_count(route, "route")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transformer"].choices = [name for name, _ in transformer_choices()]

    def validate(self, attrs: dict) -> dict:
        if attrs.get("transformation") is not None and "transformer" not in attrs:
            attrs["transformer"] = ""  # a transformation alone replaces the transformer
        route = candidate(self, attrs)
        errors = route_errors(route)
        transformer = TRANSFORMERS.get(route.transformer)
        if transformer and "transformer_options" not in errors:
            for message in transformer.validate_options(route.transformer_options):
                errors.setdefault("transformer_options", []).append(message)
        raise_for(errors)
        return attrs


class RouteResumedSerializer(RouteSerializer):
    """The answer of resume: the route and what it released."""

    released = released_field()

    class Meta(RouteSerializer.Meta):
        fields = [*RouteSerializer.Meta.fields, "released"]


class RouteTestSerializer(serializers.Serializer):
    event_type = serializers.CharField(max_length=200, allow_blank=True, default="")
    payload = SafeJSONField(default=dict, help_text="The sample event body (any JSON).")
    headers = HeadersField(default=dict)
    query = serializers.CharField(max_length=2000, allow_blank=True, default="")


class FailedConditionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    path = serializers.JSONField(allow_null=True)
    op = serializers.JSONField(allow_null=True)
    value = serializers.JSONField(allow_null=True)
    place = serializers.CharField(help_text="Where the failing leaf is: conditions[1].any[0]")
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


class RouteValidationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    message = serializers.CharField(allow_blank=True, help_text="As a save's error message.")
    field_errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field, as a save's 400 names them (conditions by place).",
    )


class OperatorsSerializer(serializers.Serializer):
    operators = serializers.ListField(child=serializers.CharField())
