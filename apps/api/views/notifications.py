"""Notification channels, the notifications sent, and the notification types."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.filters import IdFilter
from apps.api.serializers.notifications import (
    ChannelSerializer,
    CreatedChannelSerializer,
    NotificationSerializer,
    NotificationTypeListSerializer,
    RotatedChannelSecretSerializer,
)
from apps.api.views.base import ModelViewSet, ReadOnlyModelViewSet
from apps.core.standard_webhooks import generate_secret
from apps.notifications.models import Channel, ChannelKind, Notification, NotificationStatus
from apps.notifications.test_notice import send_test
from apps.notifications.types import SUBSCRIBABLE, TYPES

TAG = ["notifications"]


class ChannelFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ChannelKind.choices)
    is_active = filters.BooleanFilter()

    class Meta:
        model = Channel
        fields = ["kind", "is_active"]


class NotificationFilter(filters.FilterSet):
    type = filters.CharFilter()
    channel = IdFilter(field_name="channel_id")
    status = filters.ChoiceFilter(choices=NotificationStatus.choices)
    subject = filters.CharFilter(help_text='e.g. "destination:5" or "source:3"')

    class Meta:
        model = Notification
        fields = ["type", "channel", "status", "subject"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List notification channels"),
    retrieve=extend_schema(tags=TAG, summary="Read a notification channel"),
    create=extend_schema(
        tags=TAG,
        summary="Create a notification channel (a webhook channel's secret is answered once)",
        responses={201: CreatedChannelSerializer},
    ),
    update=extend_schema(tags=TAG, summary="Replace a notification channel"),
    partial_update=extend_schema(tags=TAG, summary="Change a notification channel"),
    destroy=extend_schema(
        tags=TAG,
        summary="Delete a notification channel",
        description="Its notifications stay listed; those not sent yet are failed.",
    ),
)
class ChannelViewSet(ModelViewSet):
    operate_actions = ("send_test",)
    queryset = Channel.objects.all()
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = serializer.save()
        return Response(CreatedChannelSerializer(channel).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary="Rotate a webhook channel's signing secret (answered once)",
        request=None,
        responses=RotatedChannelSecretSerializer,
    )
    @action(detail=True, methods=["post"])
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        channel = self.get_object()
        if channel.kind != ChannelKind.WEBHOOK:
            raise serializers.ValidationError({"kind": ["only a webhook channel has a secret"]})
        channel.secret = generate_secret()
        channel.save(update_fields=["secret", "updated_at"])
        return Response(RotatedChannelSecretSerializer({"secret": channel.secret}).data)

    @extend_schema(
        tags=TAG,
        summary="Send a test notification now; answers the notification and its result",
        request=None,
        responses=NotificationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request: Request, pk: str | None = None) -> Response:
        notification = send_test(self.get_object())
        return Response(NotificationSerializer(notification).data)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List notifications, newest first"),
    retrieve=extend_schema(tags=TAG, summary="Read a notification, its body and result"),
)
class NotificationViewSet(ReadOnlyModelViewSet):
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]


class NotificationTypeListView(APIView):
    @extend_schema(
        tags=TAG,
        summary="The notification types a channel can subscribe to",
        responses=NotificationTypeListSerializer,
    )
    def get(self, request: Request) -> Response:
        results = [{"name": name, "description": TYPES[name]} for name in SUBSCRIBABLE]
        return Response({"results": results})
