from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import validation_body
from apps.api.filters import RouteFilter
from apps.api.previews import preview_route
from apps.api.serializers.routes import (
    OperatorsSerializer,
    RouteResumedSerializer,
    RouteSerializer,
    RouteTestResultSerializer,
    RouteTestSerializer,
    RouteValidationSerializer,
)
from apps.api.stats import with_held_counts
from apps.api.views.base import ModelViewSet
from apps.api.views.pausing import OPERATE_ACTIONS, PauseActions
from apps.core.models import Route

TAG = ["routes"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List routes"),
    retrieve=extend_schema(tags=TAG, summary="Read a route"),
    create=extend_schema(tags=TAG, summary="Create a route"),
    update=extend_schema(tags=TAG, summary="Replace a route"),
    partial_update=extend_schema(tags=TAG, summary="Change a route"),
    destroy=extend_schema(
        tags=TAG,
        summary="Delete a route (its outcomes are kept)",
        description="The route stops matching events and leaves every list; its name "
        "may be reused. Its outcomes and attempts are kept and still show its name, with "
        "`route_deleted: true`; those still waiting (pending, retrying) are "
        "dead-lettered with the reason.",
    ),
    pause=extend_schema(
        tags=TAG,
        summary="Pause: hold its outcomes, send nothing (operator)",
        description="Events still match the route; their outcomes are stored `held`. "
        "Nothing is sent, counted or dead-lettered. Deliveries already in flight finish.",
        request=None,
        responses=RouteSerializer,
    ),
    resume=extend_schema(
        tags=TAG,
        summary="Resume: release the held outcomes, oldest first (operator)",
        description="Outcomes whose destination is paused or disabled stay held.",
        request=None,
        responses=RouteResumedSerializer,
    ),
)
class RouteViewSet(PauseActions, ModelViewSet):
    operate_actions = ("dry_run", *OPERATE_ACTIONS)
    queryset = Route.objects.select_related("source", "destination")

    def get_queryset(self):
        return with_held_counts(super().get_queryset(), "route")

    serializer_class = RouteSerializer
    filterset_class = RouteFilter
    ordering_fields = ["priority", "name", "created_at", "id"]
    ordering = ["-priority", "id"]

    @extend_schema(
        tags=TAG,
        summary="Dry-run the route on a sample event: match, failed condition, output",
        description="Nothing is stored or sent. The output is computed whether or not "
        "the route matches; `error` says why there is none.",
        request=RouteTestSerializer,
        responses=RouteTestResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="test")
    def dry_run(self, request: Request, pk: str | None = None) -> Response:
        route = self.get_object()
        params = RouteTestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = preview_route(route, **params.validated_data)
        return Response(RouteTestResultSerializer(result).data)

    @extend_schema(
        tags=TAG,
        summary="Check a route as it would be saved, without saving it",
        description="The body is that of a create (or, with `?route=<id>`, of a change of "
        "that route). The same validation as a save runs; nothing is stored. The answer is "
        "200 either way: `valid`, and in `field_errors` the messages by field as a save's "
        "400 names them in `fields`.",
        parameters=[
            OpenApiParameter("route", int, required=False, description="Check as a change")
        ],
        request=RouteSerializer,
        responses=RouteValidationSerializer,
    )
    @action(detail=False, methods=["post"], url_path="validate", filter_backends=[])
    def check(self, request: Request) -> Response:
        instance = None
        wanted = request.query_params.get("route")
        if wanted is not None:
            if not wanted.isdigit():
                raise ValidationError({"route": ["must be a route id"]})
            instance = self.get_queryset().filter(pk=int(wanted)).first()
            if instance is None:
                raise ValidationError({"route": ["no such route"]})
        given = RouteSerializer(
            instance, data=request.data, partial=instance is not None, context={"request": request}
        )
        if given.is_valid():
            return Response({"valid": True, "message": "", "field_errors": {}})
        error = validation_body(given.errors)["error"]
        answer = {"valid": False, "message": error["message"], "field_errors": error["fields"]}
        return Response(answer)

    @extend_schema(tags=TAG, summary="The condition operators", responses=OperatorsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def operators(self, request: Request) -> Response:
        from apps.routing.conditions import OPERATORS

        return Response({"operators": list(OPERATORS)})
