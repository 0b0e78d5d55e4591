"""Serializers of notification channels and notifications (apps/notifications).

A channel's secrets never leave in a response but the one that made them: a webhook
channel's `secret` is answered by the create and by rotate_secret only; a URL that
carries a credential (a Slack incoming webhook) is always shown masked, to admins too,
and sending the masked value back keeps the stored URL.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from apps.core.secret_urls import carries_credential, mask_url
from apps.core.standard_webhooks import generate_secret
from apps.notifications.models import Channel, ChannelKind, Notification, NotificationStatus
from apps.notifications.validation import channel_errors

EDITABLE = ("name", "kind", "url", "emails", "types", "sources", "destinations", "is_active")


class ChannelSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Slack and webhook channels. A URL carrying a credential (Slack) is "
        "always answered masked; sending the masked value back keeps it.",
    )
    url_masked = serializers.SerializerMethodField()
    emails = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=50
    )
    types = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        help_text="Notification type names (GET /api/notification-types/); empty = all.",
    )
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="Empty = all."
    )
    destinations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="Empty = all."
    )
    secret_set = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            *EDITABLE,
            "url_masked",
            "secret_set",
            "last_error",
            "last_success_at",
            "last_failure_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_error",
            "last_success_at",
            "last_failure_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {
                "validators": [
                    UniqueValidator(
                        queryset=Channel.objects.all(),
                        message="A notification channel with this name already exists.",
                    )
                ]
            }
        }

    def get_url_masked(self, channel: Channel) -> bool:
        return carries_credential(channel.url) if channel.url else False

    def get_secret_set(self, channel: Channel) -> bool:
        return bool(channel.secret)

    def to_representation(self, channel: Channel) -> dict[str, Any]:
        data = super().to_representation(channel)
        data["url"] = mask_url(channel.url)
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        stored = self.instance
        url = attrs.get("url")
        if stored is not None and url and url != stored.url and url == mask_url(stored.url):
            attrs["url"] = stored.url  # the masked value sent back: keep the stored URL
        base = stored or Channel()
        probe = Channel(**{name: attrs.get(name, getattr(base, name)) for name in EDITABLE})
        probe.secret = base.secret
        errors = channel_errors(probe)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated: dict[str, Any]) -> Channel:
        if validated.get("kind") == ChannelKind.WEBHOOK:
            validated["secret"] = generate_secret()
        return super().create(validated)

    def update(self, channel: Channel, validated: dict[str, Any]) -> Channel:
        if validated.get("kind", channel.kind) == ChannelKind.WEBHOOK and not channel.secret:
            validated["secret"] = generate_secret()
        return super().update(channel, validated)


class CreatedChannelSerializer(ChannelSerializer):
    """The create answer: the channel and, for a webhook channel, its secret (once)."""

    secret = serializers.CharField(
        read_only=True, help_text="whsec_...: shown only in this answer; store it now."
    )

    class Meta(ChannelSerializer.Meta):
        fields = [*ChannelSerializer.Meta.fields, "secret"]

    def to_representation(self, channel: Channel) -> dict[str, Any]:
        data = super().to_representation(channel)
        data["secret"] = channel.secret or None
        return data


class RotatedChannelSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new whsec_ secret: shown only once.")


class NotificationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=NotificationStatus.choices, read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "type",
            "subject",
            "channel",
            "channel_name",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "sent_at",
            "created_at",
            "updated_at",
            "body",
        ]
        read_only_fields = fields


class NotificationTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class NotificationTypeListSerializer(serializers.Serializer):
    results = NotificationTypeSerializer(many=True)
