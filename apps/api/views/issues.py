"""Issues: failures grouped by destination and error kind (apps.delivery.issues), their
affected outcomes, and the operator's actions on them."""

from __future__ import annotations

from django.db.models import Count, Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import Conflict
from apps.api.filters import IdFilter
from apps.api.requesters import requester
from apps.api.serializers.issues import (
    IssueDetailSerializer,
    IssueOutcomeSerializer,
    IssueReplaySerializer,
    IssueSerializer,
)
from apps.api.views.base import ReadOnlyModelViewSet
from apps.core.models import ErrorKind, Issue, IssueStatus, OutcomeStatus
from apps.delivery import issues

TAG = ["issues"]


class IssueFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=IssueStatus.choices)
    destination = IdFilter(field_name="destination_id")
    kind = filters.ChoiceFilter(choices=ErrorKind.choices)

    class Meta:
        model = Issue
        fields = ["status", "destination", "kind"]


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary="List issues (failures grouped by destination and error kind), latest first",
    ),
    retrieve=extend_schema(
        tags=TAG,
        summary="Read an issue, with how many outcomes it affects",
        description="The affected outcomes themselves: `GET /api/issues/{id}/outcomes/`.",
    ),
)
class IssueViewSet(ReadOnlyModelViewSet):
    operate_actions = ("acknowledge", "resolve", "replay")
    queryset = Issue.objects.select_related("destination")
    filterset_class = IssueFilter
    ordering_fields = ["last_seen", "first_seen", "count", "id"]
    ordering = ["-last_seen", "-id"]

    def get_serializer_class(self):
        return IssueDetailSerializer if self.action == "retrieve" else IssueSerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        issue = self.get_object()
        counts = issues.affected_outcomes(issue).aggregate(
            affected=Count("pk"),
            dead_letters=Count("pk", filter=Q(status=OutcomeStatus.DEAD_LETTERED)),
        )
        issue.affected, issue.dead_letters = counts["affected"], counts["dead_letters"]
        return Response(IssueDetailSerializer(issue).data)

    @extend_schema(
        tags=TAG,
        summary="The issue's affected outcomes (each with its event), latest first",
        responses=IssueOutcomeSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def outcomes(self, request: Request, pk: str | None = None) -> Response:
        affected = (
            issues.affected_outcomes(self.get_object())
            .select_related("event__source")
            .defer("event__body", "event__headers", "event__payload")
            .order_by("-updated_at", "-id")
        )
        page = self.paginate_queryset(affected)
        return self.get_paginated_response(IssueOutcomeSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Acknowledge an open issue (someone is on it)",
        description="409 `conflict` for a resolved issue. New failures keep it acknowledged.",
        request=None,
        responses=IssueSerializer,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        try:
            issue = issues.acknowledge(self.get_object(), request.user.get_username())
        except issues.IssueStateError as exc:
            raise Conflict(str(exc)) from None
        return Response(IssueSerializer(issue).data)

    @extend_schema(
        tags=TAG,
        summary="Resolve an issue; its next failure opens it again",
        request=None,
        responses=IssueSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        issue = issues.resolve(self.get_object(), request.user.get_username())
        return Response(IssueSerializer(issue).data)

    @extend_schema(
        tags=TAG,
        summary="Replay every dead letter of the issue",
        description="At most BULK_REPLAY_MAX are queued, oldest first; `capped` says some "
        "were left out (run it again). Outcomes of events refused at ingest, or whose route "
        "or destination was deleted, are never queued.",
        request=None,
        responses=IssueReplaySerializer,
    )
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str | None = None) -> Response:
        return Response(issues.replay_dead_letters(self.get_object(), requester(request)))
