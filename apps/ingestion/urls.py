from django.urls import path

from apps.ingestion import views

urlpatterns = [
    # Any slug reaches the view (an unknown one gets a JSON 404), with or without the
    # trailing slash: producers do not follow a redirect with their POST.
    path("receive/<str:slug>/", views.receive, name="webhook-receive"),
    path("receive/<str:slug>", views.receive),
]
