"""Serializers of /api/auth/: login, the current user, the CSRF token."""

from __future__ import annotations

from rest_framework import serializers


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
