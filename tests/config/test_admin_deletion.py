"""Deleting configuration in the admin is soft too: the history stays readable."""

from __future__ import annotations

import pytest

from apps.core.models import Destination, Event, EventStatus, Outcome, Route, Source
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def route():
    source = make_source(name="GitHub", slug="github")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="Slack"), name="main")
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    Outcome.objects.create(event=event, route=route, destination=route.destination)
    return route


def test_deleting_a_source_in_the_admin_keeps_its_events(admin_client, route):
    url = f"/admin/core/source/{route.source_id}/delete/"

    confirm = admin_client.get(url).content.decode()
    done = admin_client.post(url, {"post": "yes"}, follow=True)

    assert "its events, outcomes and attempts are kept" in confirm
    assert "Route main (deleted with its source)" in confirm
    assert done.status_code == 200
    assert not Source.objects.exists() and not Route.objects.exists()
    event = Event.objects.get()
    assert event.source.name == "GitHub" and event.source.is_deleted
    assert Outcome.objects.get().route.name == "main"
    page = admin_client.get(f"/admin/core/event/{event.pk}/change/")
    assert page.status_code == 200 and "GitHub" in page.content.decode()


def test_the_admin_will_not_delete_a_destination_live_routes_use(admin_client, route):
    url = f"/admin/core/destination/{route.destination_id}/delete/"

    page = admin_client.post(url, {"post": "yes"})

    assert "Route main still delivers here" in page.content.decode()
    assert Destination.objects.filter(pk=route.destination_id).exists()


def test_the_admins_bulk_delete_of_routes_is_soft(admin_client, route):
    response = admin_client.post(
        "/admin/core/route/",
        {"action": "delete_selected", "_selected_action": [route.pk], "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert not Route.objects.exists()
    assert Route.all_objects.get().is_deleted
    assert Outcome.objects.get().route_id == route.pk
