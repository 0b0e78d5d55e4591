from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.destination_stats import destination_stats, window
from apps.api.errors import Conflict
from apps.api.filters import DestinationFilter
from apps.api.previews import send_test_event
from apps.api.rotation import rotate_signing_secret
from apps.api.serializers.destinations import (
    DestinationResumedSerializer,
    DestinationSerializer,
    DestinationStatsQuerySerializer,
    DestinationStatsSerializer,
    DestinationTestSerializer,
    RotatedSigningSecretSerializer,
    RotateSigningSecretSerializer,
    SendResultSerializer,
)
from apps.api.stats import with_held_counts
from apps.api.views.base import ModelViewSet
from apps.api.views.pausing import OPERATE_ACTIONS, PauseActions
from apps.core.deletion import DestinationInUse
from apps.core.models import Destination
from apps.delivery import holding

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
    pause=extend_schema(
        tags=TAG,
        summary="Pause: hold its outcomes, send nothing (operator)",
        description="New and waiting outcomes become `held`: nothing is sent, no attempt "
        "or failure is counted, none is dead-lettered. Deliveries already in flight finish.",
        request=None,
        responses=DestinationSerializer,
    ),
    resume=extend_schema(
        tags=TAG,
        summary="Resume: release the held outcomes, oldest first (operator)",
        description="Outcomes still held by a paused route, or by the destination being "
        "disabled, stay held.",
        request=None,
        responses=DestinationResumedSerializer,
    ),
)
class DestinationViewSet(PauseActions, ModelViewSet):
    operate_actions = ("send_test", "enable", *OPERATE_ACTIONS)
    queryset = Destination.objects.all()
    serializer_class = DestinationSerializer

    def get_queryset(self):
        return with_held_counts(super().get_queryset(), "destination")

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

    @extend_schema(
        tags=TAG,
        summary="Enable a disabled destination: release what it held, oldest first (operator)",
        description="Sets `is_active` (as PATCH `is_active: true` does), clears "
        "`disabled_at`, `disabled_reason` and the failure streak, and releases the held "
        "outcomes. A paused destination stays paused (resume it too).",
        request=None,
        responses=DestinationResumedSerializer,
    )
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str | None = None) -> Response:
        destination = self.get_object()
        released = holding.set_flag(destination, is_active=True)
        return self._answer(destination, released=released)

    @extend_schema(
        tags=TAG,
        summary="Its figures over 1 h, 24 h or 7 d: success rate, latency, recent errors",
        description="Attempts started in the window: how many, delivered (2xx) and failed, "
        "the success rate and the p50/p95 duration (continuous percentiles, ms; null "
        "with no attempt), and the newest failed attempts. `held` and `dead_letters` count "
        "its outcomes in those states now; `health` is the destination's.",
        parameters=[DestinationStatsQuerySerializer],
        responses=DestinationStatsSerializer,
    )
    @action(detail=True, methods=["get"])
    def stats(self, request: Request, pk: str | None = None) -> Response:
        destination = self.get_object()
        params = DestinationStatsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        figures = destination_stats(destination, window(params.validated_data["window"]))
        return Response(DestinationStatsSerializer(figures).data)
