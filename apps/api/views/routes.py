from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.filters import RouteFilter
from apps.api.previews import preview_route
from apps.api.serializers.routes import (
    OperatorsSerializer,
    RouteSerializer,
    RouteTestResultSerializer,
    RouteTestSerializer,
)
from apps.api.views.base import ModelViewSet
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
)
class RouteViewSet(ModelViewSet):
    operate_actions = ("dry_run",)
    queryset = Route.objects.select_related("source", "destination")
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

    @extend_schema(tags=TAG, summary="The condition operators", responses=OperatorsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def operators(self, request: Request) -> Response:
        from apps.routing.conditions import OPERATORS

        return Response({"operators": list(OPERATORS)})
