"""Serializers of JavaScript transformations and their run endpoints (docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from apps.api.fields import JSONObjectField, SafeJSONField
from apps.api.serializers.common import candidate, raise_for
from apps.config.validation import transformation_errors
from apps.core.models import Event, Transformation

EVENT_KEYS = ("body", "headers", "event_type", "source", "received_at")


class TransformationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        max_length=200,
        validators=[
            UniqueValidator(
                queryset=Transformation.objects.all(),
                message="a transformation with this name already exists",
            )
        ],
    )
    routes = serializers.SerializerMethodField(help_text="Ids of the live routes using it.")

    class Meta:
        model = Transformation
        fields = [
            "id",
            "name",
            "description",
            "code",
            "version",
            "routes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]

    def get_routes(self, obj: Transformation) -> list[int]:
        return sorted(route.pk for route in obj.routes.all())

    def validate(self, attrs: dict) -> dict:
        raise_for(transformation_errors(candidate(self, attrs)))
        return attrs


class TransformationRunSerializer(serializers.Serializer):
    """A stored transformation run on an event: a sample, or a stored event by id."""

    event = JSONObjectField(
        required=False,
        help_text='{"body", "headers", "event_type", "source", "received_at"}; '
        "only body is required.",
    )
    event_id = serializers.IntegerField(required=False, min_value=1)

    def validate_event(self, value: dict) -> dict:
        if "body" not in value:
            raise serializers.ValidationError(
                'must be an event object with a "body" (and optionally headers, '
                "event_type, source, received_at)"
            )
        unknown = sorted(set(value) - set(EVENT_KEYS))
        if unknown:
            raise serializers.ValidationError(f"unexpected key(s) {', '.join(unknown)}")
        if not isinstance(value.get("headers", {}), dict):
            raise serializers.ValidationError({"headers": "must be an object"})
        return value

    def validate(self, attrs: dict) -> dict:
        if ("event" in attrs) == ("event_id" in attrs):
            raise serializers.ValidationError({"event": 'give either "event" or "event_id"'})
        if "event_id" in attrs:
            attrs["event"] = stored_event_object(attrs.pop("event_id"))
        attrs["event"] = completed(attrs["event"])
        return attrs


class TransformationDraftRunSerializer(TransformationRunSerializer):
    """Code not saved yet, run on an event."""

    code = serializers.CharField(trim_whitespace=False, max_length=1024 * 1024)

    def validate_code(self, value: str) -> str:
        from django.conf import settings

        limit = settings.TRANSFORM_JS_MAX_CODE_BYTES
        if len(value.encode("utf-8")) > limit:
            raise serializers.ValidationError(f"must be at most {limit} bytes")
        return value


def completed(event: dict[str, Any]) -> dict[str, Any]:
    """A sample event with every key transform(event) may read."""
    return {
        "body": event.get("body"),
        "headers": {str(k).lower(): v for k, v in (event.get("headers") or {}).items()},
        "event_type": event.get("event_type") or "",
        "source": event.get("source") or "",
        "received_at": event.get("received_at") or timezone.now().isoformat(),
    }


def stored_event_object(event_id: int) -> dict[str, Any]:
    from apps.transformers.base import TransformInput
    from apps.transformers.javascript import event_object

    event = Event.objects.select_related("source").filter(pk=event_id).first()
    if event is None:
        raise serializers.ValidationError({"event_id": "no stored event with this id"})
    if event.purged_at is not None:
        raise serializers.ValidationError({"event_id": "this event's body was purged"})
    return event_object(TransformInput.from_event(event))


class RunOutputSerializer(serializers.Serializer):
    body = SafeJSONField(allow_null=True)
    headers = serializers.DictField(child=serializers.CharField())


class TransformationRunResultSerializer(serializers.Serializer):
    output = RunOutputSerializer(allow_null=True, help_text="null when skipped or failed")
    skipped = serializers.BooleanField(help_text="transform returned null: no delivery")
    logs = serializers.ListField(child=serializers.CharField(allow_blank=True))
    duration_ms = serializers.FloatField()
    error = serializers.CharField(allow_null=True)
