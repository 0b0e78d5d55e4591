from django.contrib import admin
from django.urls import include, path

from apps.monitoring.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("webhooks/", include("apps.ingestion.urls")),
    path("healthz", healthz, name="healthz"),
]
