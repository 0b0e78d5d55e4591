"""Why an event went nowhere: routing stores every route's verdict on the event, the
event's detail serves them with the routes' names, and the status tells `filtered`
(routes exist, none took it) from `no_route` (the source has no active route)."""

from __future__ import annotations

from apps.core.models import Event, EventStatus
from apps.delivery import batch
from tests.api.factories import make_event
from tests.factories import make_destination, make_route, make_source

ON_MAIN = {"path": "$.ref", "op": "equals", "value": "refs/heads/main"}


def routed(source, payload: dict, event_type: str = "push") -> Event:
    event = make_event(source, payload, event_type=event_type, status=EventStatus.RECEIVED)
    batch.route_events([event.pk])
    return Event.objects.get(pk=event.pk)


def test_it_tells_why_each_route_of_the_source_did_not_take_the_event(api, source, sink):
    destination = make_destination(sink.url)
    on_main = make_route(source, destination, name="main only", conditions=[ON_MAIN])
    issues = make_route(source, destination, name="issues", event_types=["issues"], priority=50)
    off = make_route(source, destination, name="switched off", is_active=False, priority=10)

    event = routed(source, {"ref": "refs/heads/dev"})
    detail = api.get(f"/api/deliveries/{event.pk}/").json()

    assert detail["status"] == "filtered"
    assert detail["routing"] == [
        {
            "route": on_main.pk,
            "route_name": "main only",
            "route_deleted": False,
            "matched": False,
            "code": "condition",
            "reason": 'condition 1 failed: $.ref was "refs/heads/dev", '
            'expected equals "refs/heads/main"',
        },
        {
            "route": issues.pk,
            "route_name": "issues",
            "route_deleted": False,
            "matched": False,
            "code": "event_type",
            "reason": "event type 'push' does not match ['issues']",
        },
        {
            "route": off.pk,
            "route_name": "switched off",
            "route_deleted": False,
            "matched": False,
            "code": "inactive",
            "reason": "route is inactive",
        },
    ]


def test_a_matched_event_names_the_routes_that_took_it_and_those_paused(api, source, sink):
    destination = make_destination(sink.url)
    taken = make_route(source, destination, name="all pushes")
    paused = make_route(source, destination, name="paused one", paused=True, priority=1)

    event = routed(source, {"ref": "refs/heads/main"})
    verdicts = api.get(f"/api/deliveries/{event.pk}/").json()["routing"]

    assert event.status == EventStatus.ROUTED
    assert [(v["route"], v["matched"], v["code"]) for v in verdicts] == [
        (taken.pk, True, "matched"),
        (paused.pk, True, "paused"),
    ]
    assert "held" in verdicts[1]["reason"]


def test_a_source_with_only_inactive_routes_gives_no_route(api, source, sink):
    make_route(source, make_destination(sink.url), is_active=False)
    event = routed(source, {})
    assert event.status == EventStatus.NO_ROUTE
    assert [v["code"] for v in event.routing] == ["inactive"]

    bare = make_source(slug="bare")
    lonely = routed(bare, {})
    assert (lonely.status, lonely.routing) == (EventStatus.NO_ROUTE, [])


def test_a_deleted_route_keeps_its_name_in_the_verdicts(api, source, sink):
    route = make_route(source, make_destination(sink.url), name="gone", conditions=[ON_MAIN])
    event = routed(source, {"ref": "x"})
    route.delete()

    [verdict] = api.get(f"/api/deliveries/{event.pk}/").json()["routing"]

    assert (verdict["route_name"], verdict["route_deleted"]) == ("gone", True)


def test_an_event_routed_before_verdicts_were_kept_has_null_routing(api, source):
    event = make_event(source, status=EventStatus.NO_ROUTE)
    assert api.get(f"/api/deliveries/{event.pk}/").json()["routing"] is None


def test_the_list_filters_filtered_apart_from_no_route(api, source, sink):
    make_route(source, make_destination(sink.url), conditions=[ON_MAIN])
    filtered = routed(source, {"ref": "dev"})
    nowhere = make_event(make_source(slug="bare"), status=EventStatus.NO_ROUTE)

    def listed(status: str) -> list[int]:
        answer = api.get("/api/deliveries/", {"status": status})
        assert answer.status_code == 200, answer.content
        return [item["id"] for item in answer.json()["results"]]

    assert listed("filtered") == [filtered.pk]
    assert listed("no_route") == [nowhere.pk]


def test_a_reroute_stores_todays_verdicts(api, source, sink):
    route = make_route(
        source, make_destination(sink.url), event_types=["push"], conditions=[ON_MAIN]
    )
    event = routed(source, {"ref": "refs/heads/main"}, event_type="issues")
    assert [v["code"] for v in event.routing] == ["event_type"]
    route.event_types = ["issues"]
    route.save()

    answer = api.post(f"/api/deliveries/{event.pk}/reroute/")

    assert answer.status_code == 200, answer.content
    event.refresh_from_db()
    assert event.status == EventStatus.ROUTED
    assert [v["code"] for v in event.routing] == ["matched"]
