from django.urls import path

from apps.ingestion import views

urlpatterns = [
    path("receive/<slug:slug>/", views.receive, name="webhook-receive"),
]
