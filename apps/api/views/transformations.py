from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import Conflict
from apps.api.serializers.transformations import (
    TransformationDraftRunSerializer,
    TransformationRunResultSerializer,
    TransformationRunSerializer,
    TransformationSerializer,
)
from apps.api.views.base import ModelViewSet
from apps.core.deletion import TransformationInUse
from apps.core.models import Transformation

TAG = ["transformations"]
RUN_HELP = (
    "Nothing is stored or sent. The answer is 200 whatever the code does: `error` says "
    "why it failed (exception, timeout, out of memory, a result that is not JSON), "
    "`skipped` that it returned null."
)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List JavaScript transformations"),
    retrieve=extend_schema(tags=TAG, summary="Read a transformation"),
    create=extend_schema(tags=TAG, summary="Create a transformation (its code is checked)"),
    update=extend_schema(tags=TAG, summary="Replace a transformation (new code: new version)"),
    partial_update=extend_schema(tags=TAG, summary="Change a transformation"),
    destroy=extend_schema(tags=TAG, summary="Delete a transformation (409 while routes use it)"),
)
class TransformationViewSet(ModelViewSet):
    operate_actions = ("run", "run_draft")
    queryset = Transformation.objects.prefetch_related("routes")
    serializer_class = TransformationSerializer
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]

    def perform_destroy(self, instance: Transformation) -> None:
        try:
            instance.delete()
        except TransformationInUse as exc:
            raise Conflict(str(exc)) from None

    @extend_schema(
        tags=TAG,
        summary="Run the saved transformation on a sample or stored event",
        operation_id="transformations_run",
        description=RUN_HELP,
        request=TransformationRunSerializer,
        responses=TransformationRunResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="run")
    def run(self, request: Request, pk: str | None = None) -> Response:
        from apps.transformers import javascript  # V8 loaded by the first run only

        transformation = self.get_object()
        params = TransformationRunSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        key = ("stored", transformation.pk, transformation.version)
        result = javascript.run(transformation.code, params.validated_data["event"], key=key)
        return Response(TransformationRunResultSerializer(result).data)

    @extend_schema(
        tags=TAG,
        summary="Run code without saving it, on a sample or stored event",
        operation_id="transformations_run_draft",
        description=RUN_HELP,
        request=TransformationDraftRunSerializer,
        responses=TransformationRunResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="run")
    def run_draft(self, request: Request) -> Response:
        from apps.transformers import javascript

        params = TransformationDraftRunSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return Response(
            TransformationRunResultSerializer(javascript.run(data["code"], data["event"])).data
        )
