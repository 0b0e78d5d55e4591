"""Session login, logout, the current user, and the CSRF cookie for the dashboard."""

from __future__ import annotations

from django.contrib.auth import logout
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.auth import lockout_message, log_in, user_payload
from apps.api.errors import LockedOut
from apps.api.serializers.auth import CsrfSerializer, LoginSerializer, UserSerializer

TAG = ["auth"]


class CsrfView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        tags=TAG,
        summary="Get a CSRF token (also set as the csrftoken cookie)",
        responses=CsrfSerializer,
        auth=[],
    )
    @method_decorator(ensure_csrf_cookie)
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request._request)})


class LoginView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAG,
        summary="Log in with a username and password (starts a session)",
        description="Send X-CSRFToken. Five failures for a username from one address "
        "lock that username from that address for an hour (429 locked_out); more than "
        "LOGIN_THROTTLE_RATE attempts from one address answer 429 throttled.",
        request=LoginSerializer,
        responses=UserSerializer,
        auth=[],
    )
    def post(self, request: Request) -> Response:
        SessionAuthentication().enforce_csrf(request)
        credentials = LoginSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        result = log_in(request._request, **credentials.validated_data)
        if result.locked_out:
            raise LockedOut(lockout_message())
        if result.user is None:
            raise exceptions.AuthenticationFailed("Wrong username or password.")
        return Response(user_payload(result.user))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, summary="End the session", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    # The one endpoint a user without a role may read: it tells them so.
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, summary="The logged-in user", responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(user_payload(request.user))
