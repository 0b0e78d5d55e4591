from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.serializers.metrics import (
    MetricPointSerializer,
    MetricSeriesSerializer,
    MetricsQuerySerializer,
    MetricsSummarySerializer,
)
from apps.api.stats import DAY, metric_points, summary

TAG = ["metrics"]


class MetricsView(APIView):
    @extend_schema(
        tags=TAG,
        summary="The metric samples since a time, oldest first",
        parameters=[MetricsQuerySerializer],
        responses=MetricSeriesSerializer,
    )
    def get(self, request: Request) -> Response:
        params = MetricsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        since = params.validated_data.get("since") or timezone.now() - DAY
        fields = MetricPointSerializer.Meta.fields
        points = metric_points(since, fields)
        stamp = serializers.DateTimeField().to_representation
        for point in points:
            point["collected_at"] = stamp(point["collected_at"])
        return Response({"results": points})


class MetricsSummaryView(APIView):
    @extend_schema(
        tags=TAG, summary="Live figures over the last 24 hours", responses=MetricsSummarySerializer
    )
    def get(self, request: Request) -> Response:
        return Response(MetricsSummarySerializer(summary()).data)
