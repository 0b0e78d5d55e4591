from django.contrib import admin
from django.urls import include, path, re_path

from apps.monitoring.ops_views import metrics, readyz
from apps.monitoring.views import healthz
from relaycore import dashboard

urlpatterns = [
    path("admin/", admin.site.urls),
    path("webhooks/", include("apps.ingestion.urls")),
    path("healthz", healthz, name="healthz"),
    # REST API, its OpenAPI schema (/api/schema/) and Swagger UI (/api/docs/).
    path("api/", include("apps.api.urls")),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # Everything else is a client-side route of the dashboard.
    re_path(r"^(?!api/|admin/|webhooks/|static/|healthz).*$", dashboard.index, name="dashboard"),
]
