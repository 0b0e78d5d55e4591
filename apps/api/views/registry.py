"""The pluggable parts, for the dashboard's pickers: transformers and schemes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.serializers.registry import SchemeListSerializer, TransformerListSerializer


class TransformerListView(APIView):
    @extend_schema(
        tags=["registry"],
        summary="The transformers a route can use",
        responses=TransformerListSerializer,
    )
    def get(self, request: Request) -> Response:
        from apps.transformers.registry import TRANSFORMERS

        results = [
            {"name": name, "description": transformer.description}
            for name, transformer in TRANSFORMERS.items()
        ]
        return Response({"results": results})


class SchemeListView(APIView):
    @extend_schema(
        tags=["registry"],
        summary="The inbound verification schemes a source can use",
        responses=SchemeListSerializer,
    )
    def get(self, request: Request) -> Response:
        from apps.ingestion.verification import SCHEMES

        results = [
            {
                "name": name,
                "label": scheme.label,
                "description": scheme.description,
                "needs_secret": scheme.needs_secret,
                "options": list(scheme.options),
            }
            for name, scheme in SCHEMES.items()
        ]
        return Response({"results": results})
