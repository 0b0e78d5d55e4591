"""API tokens for admins: list them, make one (its key is shown once), revoke one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.models import ApiToken
from apps.api.roles import Role
from apps.api.serializers.tokens import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    IssuedApiTokenSerializer,
)
from apps.api.tokens import issue_token, revoke

TAG = ["tokens"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary="Every API token (never the keys)"),
    retrieve=extend_schema(tags=TAG, summary="One API token (never its key)"),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Even the list of who holds which token is for admins only.
    read_role = Role.ADMIN
    queryset = ApiToken.objects.select_related("user")
    serializer_class = ApiTokenSerializer
    lookup_value_regex = r"[0-9]+"
    filterset_fields = ["user"]
    ordering_fields = ["created_at", "last_used_at", "id"]
    ordering = ["-created_at", "-id"]

    @extend_schema(
        tags=TAG,
        summary="Make a token; the answer's `token` is the key, shown this once",
        request=ApiTokenCreateSerializer,
        responses={201: IssuedApiTokenSerializer},
    )
    def create(self, request: Request) -> Response:
        given = ApiTokenCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        token = issue_token(
            data.get("user") or request.user,
            name=data["name"],
            expires_days=data.get("expires_days"),
        )
        return Response(IssuedApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary="Revoke a token (it answers 401 from now on)",
        request=None,
        responses=ApiTokenSerializer,
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return Response(ApiTokenSerializer(revoke(self.get_object())).data)
