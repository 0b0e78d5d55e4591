"""Session login for the dashboard, guarded by django-axes.

`authenticate()` runs axes' backend first: after 5 failures for a username from one
client address, that username is refused from that address for an hour (elsewhere it
still logs in, so a stranger cannot lock it out), and axes flags the request. Both this
module's login and the admin login answer the lockout with `lockout_response`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from apps.api.roles import capabilities, role_of
from apps.core.errors import error_response


def lockout_message() -> str:
    hours = settings.AXES_COOLOFF_TIME
    span = "1 hour" if hours == 1 else f"{hours} hours"
    return (
        f"Too many failed logins for this username from this address: it is locked here "
        f"for {span}. Try again later or ask an administrator to unlock it."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the API's error shape with 429 and Retry-After."""
    response = error_response("locked_out", lockout_message(), 429)
    response["Retry-After"] = str(int(float(settings.AXES_COOLOFF_TIME) * 3600))
    return response


@dataclass(frozen=True)
class LoginResult:
    user: AbstractBaseUser | None
    locked_out: bool = False


def log_in(request: HttpRequest, username: str, password: str) -> LoginResult:
    """Check credentials (axes counts failures) and start a session when they are right."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        return LoginResult(None, locked_out=bool(getattr(request, "axes_locked_out", False)))
    login(request, user)
    return LoginResult(user)


def user_payload(user: AbstractBaseUser) -> dict:
    role = role_of(user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "is_staff": user.is_staff,
        "role": role.label if role else None,
        "capabilities": capabilities(role),
    }
