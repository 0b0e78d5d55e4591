"""Nothing lost by a click: deleting a source, destination or route keeps its history."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from apps.config import config_file
from apps.core.models import Event, Outcome, OutcomeStatus, Route, Source
from apps.delivery.tasks import deliver_outcomes
from tests.api.conftest import assert_error
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_destination, make_route


@pytest.fixture
def history(route):
    """An event of the route's source, a dead letter with one attempt, one retrying."""
    event = make_event(route.source)
    dead = make_outcome(event, route)
    make_attempt(dead)
    other = make_route(route.source, make_destination(route.destination.url, name="Other"))
    retrying = make_outcome(event, other, OutcomeStatus.RETRYING)
    return event, dead, retrying


def read_event(api, event) -> dict:
    response = api.get(f"/api/deliveries/{event.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_deleting_a_source_keeps_its_events_outcomes_and_attempts(api, client, route, history):
    event, dead, _ = history

    assert api.delete(f"/api/sources/{route.source_id}/").status_code == 204

    detail = read_event(api, event)
    assert detail["source_slug"] == "github"
    assert detail["source_name"] == "GitHub"
    assert detail["source_deleted"] is True
    shown = {o["id"]: o for o in detail["outcomes"]}
    assert shown[dead.pk]["route_name"] == "pushes"
    assert shown[dead.pk]["route_deleted"] is True
    assert shown[dead.pk]["destination_name"] == "Slack dev"
    assert shown[dead.pk]["destination_deleted"] is False
    assert [a["number"] for a in shown[dead.pk]["attempts"]] == [1]
    [listed] = api.get("/api/deliveries/", {"source": route.source_id}).json()["results"]
    assert (listed["source_name"], listed["source_deleted"]) == ("GitHub", True)
    assert api.get(f"/api/outcomes/{dead.pk}/").json()["route_deleted"] is True
    # The source and its routes are gone from the configuration.
    assert api.get(f"/api/sources/{route.source_id}/").status_code == 404
    assert api.get(f"/api/routes/{route.pk}/").status_code == 404
    assert api.get("/api/routes/").json()["results"] == []


def test_a_deleted_sources_url_answers_404_and_its_slug_can_be_taken_again(api, client, route):
    api.delete(f"/api/sources/{route.source_id}/")

    refused = client.post("/webhooks/receive/github/", data=b"{}", content_type="application/json")
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "unknown_source"
    assert Event.objects.count() == 0

    again = api.post(
        "/api/sources/",
        {"name": "GitHub again", "slug": "github", "verification_scheme": "none"},
        format="json",
    )
    assert again.status_code == 201, again.content
    accepted = client.post("/webhooks/receive/github/", data=b"{}", content_type="application/json")
    assert accepted.status_code == 200, accepted.content
    assert Event.objects.get().source_id == again.json()["id"]


def test_a_live_slug_still_cannot_be_taken_twice(api, source):
    response = api.post("/api/sources/", {"name": "Twin", "slug": "github"}, format="json")

    assert "slug" in assert_error(response, 400, "validation_error")["fields"]


def test_deleting_a_route_keeps_its_outcomes_and_ends_the_waiting_ones(api, route, history):
    event, dead, retrying = history
    other = retrying.route

    assert api.delete(f"/api/routes/{other.pk}/").status_code == 204

    retrying.refresh_from_db()
    assert retrying.status == OutcomeStatus.DEAD_LETTERED
    assert retrying.last_error == "its route was deleted"
    shown = {o["id"]: o for o in read_event(api, event)["outcomes"]}
    assert (shown[retrying.pk]["route_name"], shown[retrying.pk]["route_deleted"]) == (
        other.name,
        True,
    )
    assert shown[dead.pk]["route_deleted"] is False
    replay = api.post(f"/api/outcomes/{retrying.pk}/replay/")
    assert "route was deleted" in assert_error(replay, 409, "conflict")["message"]
    # Its name is free again.
    taken = api.post(
        "/api/routes/",
        {"name": other.name, "source": route.source_id, "destination": route.destination_id},
        format="json",
    )
    assert taken.status_code == 201, taken.content


def test_a_destination_used_by_live_routes_cannot_be_deleted(api, route):
    response = api.delete(f"/api/destinations/{route.destination_id}/")

    assert "pushes" in assert_error(response, 409, "conflict")["message"]
    assert api.get(f"/api/destinations/{route.destination_id}/").status_code == 200


def test_deleting_a_destination_keeps_its_outcomes(api, route, history):
    event, dead, _ = history
    api.delete(f"/api/routes/{route.pk}/")

    assert api.delete(f"/api/destinations/{route.destination_id}/").status_code == 204

    shown = {o["id"]: o for o in read_event(api, event)["outcomes"]}
    assert shown[dead.pk]["destination_name"] == "Slack dev"
    assert shown[dead.pk]["destination_deleted"] is True
    assert api.get(f"/api/destinations/{route.destination_id}/").status_code == 404
    assert "Slack dev" not in {d["name"] for d in api.get("/api/destinations/").json()["results"]}


def test_the_worker_sends_nothing_for_a_deleted_route(route, sink):
    outcome = make_outcome(make_event(route.source), route, OutcomeStatus.PENDING)
    route.delete()
    # As if a replay or a retry had slipped in after the delete.
    Outcome.objects.filter(pk=outcome.pk).update(status=OutcomeStatus.RETRYING)

    deliver_outcomes([outcome.pk])

    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DEAD_LETTERED
    assert outcome.last_error == "its route was deleted"
    assert sink.requests == []


def test_a_delete_is_one_delete_entry_in_the_change_history(api, route):
    api.delete(f"/api/routes/{route.pk}/")

    entries = api.get(f"/api/audit-log/?object_type=route&object_id={route.pk}").json()
    assert [e["action"] for e in entries["results"]] == ["delete", "create"]


def test_not_even_a_hard_delete_takes_events_with_it(route):
    make_event(route.source)

    with pytest.raises(ProtectedError):
        Source.all_objects.filter(pk=route.source_id).delete()  # the ORM's own delete
    assert Event.objects.count() == 1


def test_the_config_file_neither_sees_nor_revives_deleted_objects(route):
    route.source.delete()

    exported = config_file.export()
    config_file.apply({"sources": [{"slug": "github", "verification": {"scheme": "none"}}]})

    assert exported["sources"] == [] and exported["routes"] == []
    assert Source.objects.get(slug="github").pk != route.source_id
    assert Source.all_objects.filter(slug="github").count() == 2
    assert not Route.objects.exists()
