"""Events set aside as routing_failed: listed by their status, named in the schema and
/metrics, and re-routable by the API once their route is fixed."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from apps.core.models import Event, EventStatus, Outcome
from tests.api.conftest import assert_error
from tests.api.factories import make_event

SET_ASIDE = {
    "status": EventStatus.ROUTING_FAILED,
    "routing_failures": 3,
    "error": "routing attempt 3 of 3 failed: routing took longer than 2 s",
}


def test_the_event_list_filters_on_routing_failed(api, source):
    failed = make_event(source, **SET_ASIDE)
    make_event(source)

    response = api.get("/api/deliveries/", {"status": "routing_failed"})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["status"]) == (failed.pk, "routing_failed")


def test_the_schema_lists_routing_failed_among_the_event_statuses(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert "routing_failed" in schema["components"]["schemas"]["EventStatusEnum"]["enum"]


def test_metrics_count_routing_failed_events(client, source, settings):
    settings.METRICS_TOKEN = "t"
    make_event(source, **SET_ASIDE)

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t")

    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }
    key = ("relaycore_events", (("source", "github"), ("status", "routing_failed")))
    assert samples[key] == 1


def test_rerouting_a_routing_failed_event_routes_it_and_clears_its_failures(
    api, route, django_capture_on_commit_callbacks
):
    event = make_event(route.source, **SET_ASIDE)

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"/api/deliveries/{event.pk}/reroute/")

    assert response.json() == {"queued": 1}
    assert len(callbacks) == 1
    assert Outcome.objects.get(event=event).route == route
    event.refresh_from_db()
    assert (event.status, event.routing_failures, event.error) == (EventStatus.ROUTED, 0, "")


def test_a_reroute_that_fails_again_answers_409_and_changes_nothing(api, route, settings):
    settings.ROUTING_TIME_LIMIT_SECONDS = 0.01
    route.conditions = [{"path": "$.items[?(@.n < 0)]", "op": "exists", "value": False}]
    route.save()
    event = make_event(route.source, {"items": [{"n": n} for n in range(300_000)]}, **SET_ASIDE)

    response = api.post(f"/api/deliveries/{event.pk}/reroute/")

    error = assert_error(response, 409, "conflict")
    assert error["message"].startswith("routing this event failed again: routing took longer")
    assert Event.objects.get(pk=event.pk).status == EventStatus.ROUTING_FAILED
    assert not Outcome.objects.exists()
