"""Serves the built React dashboard: index.html for every client-side route.

Its hashed assets under /assets/ are served by WhiteNoise (WHITENOISE_ROOT), from the
same origin as the API, so the session cookie and CSRF work without CORS.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from apps.core.errors import error_response


@require_GET
@ensure_csrf_cookie
def index(request: HttpRequest) -> HttpResponse:
    page = settings.DASHBOARD_DIR / "index.html"
    if not page.exists():
        return error_response(
            "dashboard_not_built",
            "The dashboard is not built: `make run` builds it "
            "(or `cd frontend && npm ci && npm run build`). The admin is at /admin/.",
            503,
        )
    response = HttpResponse(page.read_bytes(), content_type="text/html; charset=utf-8")
    # index.html names the hashed assets of the current build: never cache it.
    response["Cache-Control"] = "no-cache"
    return response
