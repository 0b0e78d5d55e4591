"""Routes under /api/. Unknown paths answer a JSON 404 (the last pattern)."""

from __future__ import annotations

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from apps.api.views.audit import AuditLogViewSet
from apps.api.views.auth import CsrfView, LoginView, LogoutView, MeView
from apps.api.views.destinations import DestinationViewSet
from apps.api.views.docs import SchemaView, SwaggerView
from apps.api.views.events import EventViewSet, OutcomeViewSet
from apps.api.views.fallback import not_found
from apps.api.views.issues import IssueViewSet
from apps.api.views.listen import ListenView
from apps.api.views.metrics import MetricsSummaryView, MetricsView
from apps.api.views.notifications import (
    ChannelViewSet,
    NotificationTypeListView,
    NotificationViewSet,
)
from apps.api.views.registry import SchemeListView, TransformerListView
from apps.api.views.routes import RouteViewSet
from apps.api.views.sources import SourceViewSet
from apps.api.views.tokens import ApiTokenViewSet
from apps.api.views.transformations import TransformationViewSet

router = SimpleRouter()
router.register("sources", SourceViewSet, basename="source")
router.register("destinations", DestinationViewSet, basename="destination")
router.register("routes", RouteViewSet, basename="route")
router.register("transformations", TransformationViewSet, basename="transformation")
router.register("deliveries", EventViewSet, basename="delivery")
router.register("outcomes", OutcomeViewSet, basename="outcome")
router.register("audit-log", AuditLogViewSet, basename="audit-log")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("notification-channels", ChannelViewSet, basename="notification-channel")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("issues", IssueViewSet, basename="issue")

urlpatterns = [
    path("auth/csrf/", CsrfView.as_view(), name="api-csrf"),
    path("auth/login/", LoginView.as_view(), name="api-login"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/me/", MeView.as_view(), name="api-me"),
    path("metrics/", MetricsView.as_view(), name="api-metrics"),
    path("metrics/summary/", MetricsSummaryView.as_view(), name="api-metrics-summary"),
    path("transformers/", TransformerListView.as_view(), name="api-transformers"),
    path("schemes/", SchemeListView.as_view(), name="api-schemes"),
    path(
        "notification-types/",
        NotificationTypeListView.as_view(),
        name="api-notification-types",
    ),
    path("sources/<slug:slug>/listen/", ListenView.as_view(), name="api-source-listen"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
    re_path(r"^", not_found),
]
