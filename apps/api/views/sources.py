from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.filters import SourceFilter
from apps.api.rotation import rotate_source_secret
from apps.api.serializers.sources import (
    RotatedSecretSerializer,
    RotateSecretSerializer,
    SourceSerializer,
    SourceWriteResultSerializer,
)
from apps.api.stats import PageTotals, with_source_stats
from apps.api.views.base import ModelViewSet
from apps.core import standard_webhooks
from apps.core.models import Source

TAG = ["sources"]


# The actions whose serializer shows sources with their figures (writes: see _written).
SHOWN = {"list", "retrieve"}


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="List sources"),
    retrieve=extend_schema(tags=TAG, summary="Read a source"),
    create=extend_schema(
        tags=TAG,
        summary="Create a source",
        description="Without a secret, a scheme that needs one gets a generated secret, "
        "returned once as `secret`.",
        responses={201: SourceWriteResultSerializer},
    ),
    update=extend_schema(
        tags=TAG, summary="Replace a source", responses=SourceWriteResultSerializer
    ),
    partial_update=extend_schema(
        tags=TAG, summary="Change a source", responses=SourceWriteResultSerializer
    ),
    destroy=extend_schema(
        tags=TAG,
        summary="Delete a source (its events are kept)",
        description="The source and its routes leave every list and lookup; its URL "
        "answers 404 `unknown_source` from then on, and a new source may take its slug. "
        "Its events, outcomes and attempts are kept and still show its name, with "
        "`source_deleted: true`. Only retention empties stored payloads.",
    ),
)
class SourceViewSet(ModelViewSet):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return with_source_stats(Source.objects.all())

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.action in SHOWN and not getattr(self, "swagger_fake_view", False):
            context["source_totals"] = PageTotals.read()  # once a page, not once a source
        return context

    def _written(self, serializer: SourceSerializer, source: Source) -> dict:
        context = {
            **self.get_serializer_context(),
            "generated_secret": serializer.generated_secret,
            "source_totals": PageTotals.read(),
        }
        fresh = self.get_queryset().get(pk=source.pk)
        return SourceWriteResultSerializer(fresh, context=context).data

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = serializer.save()
        return Response(self._written(serializer, source), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        source = serializer.save()
        return Response(self._written(serializer, source))

    @extend_schema(
        tags=TAG,
        summary="Rotate the secret, keeping the previous one valid for an overlap",
        request=RotateSecretSerializer,
        responses=RotatedSecretSerializer,
    )
    @action(detail=True, methods=["post"])
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        params = RotateSecretSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        secret = params.validated_data.get("secret", "")
        if (
            secret
            and source.verification_scheme == "standard_webhooks"
            and not standard_webhooks.is_valid_secret(secret)
        ):
            raise serializers.ValidationError(
                {"secret": ["must be a whsec_ secret (base64 after the whsec_ prefix)"]}
            )
        rotated = rotate_source_secret(source, secret, params.validated_data["overlap_hours"])
        answer = {
            "secret": rotated.secret,
            "previous_secret_expires_at": rotated.previous_expires_at,
        }
        return Response(RotatedSecretSerializer(answer).data)
