from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import Conflict
from apps.api.filters import DestinationFilter
from apps.api.previews import send_test_event
from apps.api.rotation import rotate_signing_secret
from apps.api.serializers.destinations import (
    DestinationSerializer,
    DestinationTestSerializer,
    RotatedSigningSecretSerializer,
    RotateSigningSecretSerializer,
    SendResultSerializer,
)
from apps.api.views.base import ModelViewSet
from apps.core.deletion import DestinationInUse
from apps.core.models import Destination

TAG = ["destinations"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List destinations"),
    retrieve=extend_schema(tags=TAG, summary="Read a destination"),
    create=extend_schema(tags=TAG, summary="Create a destination (URL checked by the SSRF guard)"),
    update=extend_schema(tags=TAG, summary="Replace a destination"),
    partial_update=extend_schema(tags=TAG, summary="Change a destination"),
    destroy=extend_schema(
        tags=TAG,
        summary="Delete a destination (409 while live routes use it)",
        description="The destination leaves every list and lookup, and its name may be "
        "reused. Its outcomes and attempts are kept and still show its name, with "
        "`destination_deleted: true`; those still waiting (pending, retrying) are "
        "dead-lettered with the reason. Nothing is sent to it again.",
    ),
)
class DestinationViewSet(ModelViewSet):
    operate_actions = ("send_test",)
    queryset = Destination.objects.all()
    serializer_class = DestinationSerializer
    filterset_class = DestinationFilter
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]

    def perform_destroy(self, instance: Destination) -> None:
        try:
            instance.delete()
        except DestinationInUse as exc:
            raise Conflict(str(exc)) from None

    @extend_schema(
        tags=TAG,
        summary="Rotate (or create) the outbound signing secret",
        request=RotateSigningSecretSerializer,
        responses=RotatedSigningSecretSerializer,
    )
    @action(detail=True, methods=["post"])
    def rotate_signing_secret(self, request: Request, pk: str | None = None) -> Response:
        destination = self.get_object()
        params = RotateSigningSecretSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rotated = rotate_signing_secret(destination, params.validated_data["overlap_hours"])
        answer = {
            "signing_secret": rotated.secret,
            "previous_signing_secret_expires_at": rotated.previous_expires_at,
        }
        return Response(RotatedSigningSecretSerializer(answer).data)

    @extend_schema(
        tags=TAG,
        summary="Send a test event now (signed and authenticated like a delivery)",
        request=DestinationTestSerializer,
        responses=SendResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request: Request, pk: str | None = None) -> Response:
        destination = self.get_object()
        params = DestinationTestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = send_test_event(destination, params.validated_data.get("payload"))
        return Response(SendResultSerializer(result).data)
