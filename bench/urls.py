"""The gateway's own URLs plus the reference views of the benchmark."""

from django.urls import path

from bench import views
from relaycore.urls import urlpatterns as gateway_urlpatterns

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("bench/minimal/<slug:slug>/", views.minimal, name="bench-minimal"),
    path("bench/batched/<slug:slug>/", views.batched, name="bench-batched"),
    *gateway_urlpatterns,
]
