"""What the API's serializers share: read-only models, live uniqueness, header names,
and the candidate instance that the config rules (apps.config.validation) check."""

from __future__ import annotations

import copy
import re

from django.db import models
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
MAX_RATE_LIMIT = 1_000_000
MAX_PRIORITY = 1_000_000


def candidate(serializer: serializers.ModelSerializer, attrs: dict) -> models.Model:
    """The instance as it would be saved: the current one with `attrs` applied."""
    model = serializer.Meta.model
    instance = copy.copy(serializer.instance) if serializer.instance else model()
    for name, value in attrs.items():
        setattr(instance, name, value)
    return instance


def raise_for(errors: dict[str, list[str]]) -> None:
    if errors:
        raise serializers.ValidationError(errors)


def header_name(value: str) -> str:
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


def live_unique(model: type, field: str) -> UniqueValidator:
    """Unique among live rows only: a deleted object's name or slug may be taken again
    (the model's constraint is conditional, which DRF does not turn into a validator)."""
    label = model._meta.verbose_name
    return UniqueValidator(
        queryset=model.objects.all(), message=f"A {label} with this {field} already exists."
    )


def overlap_hours_field(help_text: str) -> serializers.IntegerField:
    """How long a rotated-out secret stays valid: 0 to 30 days, 24 h by default."""
    return serializers.IntegerField(min_value=0, max_value=24 * 30, default=24, help_text=help_text)
