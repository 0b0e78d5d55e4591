"""Endpoints for operators: /readyz for load balancers and orchestrators, /metrics for
Prometheus.

/readyz adds the broker to what /healthz checks (database and Redis): a process that
cannot publish tasks should get no traffic. /metrics needs
`Authorization: Bearer <METRICS_TOKEN>`: without the header it answers 401, with a wrong
token 403; while METRICS_TOKEN is unset the endpoint is off and answers 404.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from apps.core.errors import error_response
from apps.monitoring import prometheus
from apps.monitoring.health import database_state, redis_state

BROKER_TIMEOUT_SECONDS = 2.0


def broker_state() -> str:
    """Open a fresh connection to the broker, no retries, a short timeout."""
    from relaycore.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
            connection.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - kombu and each transport raise their own
        return f"down: {exc.__class__.__name__}"
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    checks = {"database": database_state(), "redis": redis_state(), "broker": broker_state()}
    ready = all(state == "ok" for state in checks.values())
    return ready, {"status": "ok" if ready else "unavailable", **checks}


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)


def _bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    expected = settings.METRICS_TOKEN
    if not expected:
        return error_response("metrics_disabled", "Set METRICS_TOKEN to turn /metrics on.", 404)
    given = _bearer_token(request)
    if given is None:
        response = error_response(
            "not_authenticated", "Send Authorization: Bearer <METRICS_TOKEN>.", 401
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return error_response("permission_denied", "Wrong metrics token.", 403)
    return HttpResponse(prometheus.exposition(), content_type=CONTENT_TYPE_LATEST)
