from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from apps.monitoring.health import health


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, body = health()
    return JsonResponse(body, status=200 if healthy else 503)
