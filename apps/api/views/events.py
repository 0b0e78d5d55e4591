"""Inbound events ("deliveries"), their per-route outcomes, and replay."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.bulk import bulk_replay
from apps.api.errors import Conflict
from apps.api.filters import EventFilter, OutcomeFilter
from apps.api.pagination import EventPagination
from apps.api.query_timeout import bounded_search
from apps.api.requesters import requester
from apps.api.serializers.events import (
    BulkReplayResultSerializer,
    BulkReplaySerializer,
    EventDetailSerializer,
    EventSerializer,
    OutcomeSerializer,
    QueuedSerializer,
)
from apps.api.stats import attach_outcome_counts
from apps.api.views.base import ReadOnlyModelViewSet
from apps.core.models import Event, Outcome

TAG = ["deliveries"]


def _outcomes_with_attempts():
    return Outcome.objects.select_related("route", "destination").prefetch_related(
        "attempts", "replays"
    )


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary="List inbound events",
        description="`search` runs under SEARCH_TIMEOUT_MS; past it the answer is 503 "
        "`search_timeout` (narrow the search with other filters).",
    ),
    retrieve=extend_schema(
        tags=TAG, summary="Read an event: headers, body, payload and every route's outcome"
    ),
)
class EventViewSet(ReadOnlyModelViewSet):
    operate_actions = ("reroute", "bulk_replay")
    filterset_class = EventFilter
    pagination_class = EventPagination
    ordering_fields = ["received_at", "id"]
    ordering = ["-received_at", "-id"]

    def get_queryset(self):
        events = Event.objects.select_related("source")
        if self.action == "list":
            return events.defer("body", "headers", "payload")
        outcomes = Prefetch("outcomes", queryset=_outcomes_with_attempts().order_by("id"))
        return events.prefetch_related(outcomes)

    def get_serializer_class(self):
        return EventSerializer if self.action == "list" else EventDetailSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else attach_outcome_counts(list(page))

    def list(self, request: Request, *args, **kwargs) -> Response:
        if not request.query_params.get("search", "").strip():
            return super().list(request, *args, **kwargs)
        with bounded_search():
            return super().list(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="Route the event again against today's routes",
        description="409 `conflict` for an event refused at ingest (`sig_failed` or "
        "`duplicate`): such an event can never be delivered. Works on `routing_failed` "
        "events too, and clears their failure count once they route; 409 `conflict` if "
        "routing the event fails again.",
        request=None,
        responses=QueuedSerializer,
    )
    @action(detail=True, methods=["post"])
    def reroute(self, request: Request, pk: str | None = None) -> Response:
        from apps.delivery.refused import RefusedEvent
        from apps.delivery.replay import reroute_event
        from apps.routing.matching import RoutingError

        try:
            return Response({"queued": reroute_event(self.get_object(), by=requester(request))})
        except RefusedEvent as exc:
            raise Conflict(str(exc)) from None
        except RoutingError as exc:
            raise Conflict(f"routing this event failed again: {exc}") from None

    @extend_schema(
        tags=TAG,
        summary="Replay many outcomes chosen by filters (dead letters by default)",
        description="The body takes the list's filters plus `destination`, `route`, "
        "`outcome_status` (default dead_lettered), `include_delivered` and `dry_run`. At "
        "least one filter is needed (400 otherwise). At most BULK_REPLAY_MAX outcomes are "
        "queued, oldest first; `matched`, `capped` and `limit` say whether some were left "
        "out. Outcomes of events refused at ingest are never selected.",
        request=BulkReplaySerializer,
        responses=BulkReplayResultSerializer,
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def bulk_replay(self, request: Request) -> Response:
        params = BulkReplaySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if not params.validated_data.get("search", "").strip():
            return Response(bulk_replay(params.validated_data, requester(request)))
        with bounded_search():
            return Response(bulk_replay(params.validated_data, requester(request)))


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List route outcomes"),
    retrieve=extend_schema(tags=TAG, summary="Read a route outcome with its attempts"),
)
class OutcomeViewSet(ReadOnlyModelViewSet):
    operate_actions = ("replay",)
    queryset = _outcomes_with_attempts()
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
    ordering_fields = ["created_at", "updated_at", "id"]
    # Ids follow creation: newest first is a backward walk of the primary key, where
    # created_at has no index and sorted every outcome (docs/performance.md, "Growth").
    ordering = ["-id"]

    @extend_schema(
        tags=TAG,
        summary="Replay one outcome (a fresh series of attempts)",
        description="`queued` is 0 when the outcome is already waiting or being delivered. "
        "409 `conflict` when its event was refused at ingest (`sig_failed` or `duplicate`): "
        "such an event can never be delivered; also when its route or destination was deleted.",
        request=None,
        responses=QueuedSerializer,
    )
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str | None = None) -> Response:
        from apps.delivery.refused import refusal
        from apps.delivery.replay import replay_outcomes
        from apps.delivery.rules import deleted_config

        outcome = self.get_object()
        refused = refusal(outcome.event.status)
        if refused:
            raise Conflict(refused)
        gone = deleted_config(outcome)
        if gone:
            raise Conflict(f"This outcome cannot be replayed: {gone}.")
        queued = replay_outcomes(Outcome.objects.filter(pk=outcome.pk), by=requester(request))
        return Response({"queued": queued})
