"""Serializers of /api/tokens/: a row never carries the key or its digest; only the
answer to a create does, once, as `token`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.api.models import ApiToken

MAX_EXPIRES_DAYS = 3650


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "name",
            "user",
            "username",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        )
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="The id of the token's user; the caller when left out.",
    )
    expires_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_EXPIRES_DAYS,
        required=False,
        allow_null=True,
        help_text="The token expires this many days from now; never when left out.",
    )

    def validate_user(self, user):
        if not user.is_active:
            raise serializers.ValidationError("This user is inactive.")
        return user


class IssuedApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        source="key", read_only=True, help_text="The key: shown in this answer only."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = (*ApiTokenSerializer.Meta.fields, "token")
        read_only_fields = fields
