"""Route matching: event types, conditions, fan-out order, and which routes are eligible."""

from __future__ import annotations

import pytest

from apps.core.models import Destination, Event, EventStatus, Route, Source
from apps.routing.matching import (
    check_route,
    event_type_matches,
    matching_routes,
    validate_event_types,
)

ON_MAIN = {"path": "$.ref", "op": "equals", "value": "refs/heads/main"}


@pytest.fixture
def source():
    return Source.objects.create(name="GitHub", slug="github")


@pytest.fixture
def destination():
    return Destination.objects.create(name="Slack", url="https://hooks.example.com/slack")


@pytest.fixture
def make_route(source, destination):
    def make(name: str, **fields) -> Route:
        fields.setdefault("source", source)
        return Route.objects.create(name=name, destination=destination, **fields)

    return make


def make_event(source: Source, event_type: str, payload) -> Event:
    return Event.objects.create(
        source=source,
        event_type=event_type,
        payload=payload,
        body=b"{}",
        status=EventStatus.RECEIVED,
    )


@pytest.mark.parametrize(
    ("patterns", "event_type", "expected"),
    [
        (["*"], "push", True),
        (["*"], "", True),
        (["push"], "push", True),
        (["push", "issues"], "issues", True),
        (["push"], "pull_request", False),
        (["Push"], "push", False),
        (["pull_request.*"], "pull_request.opened", True),
        (["pull_request.*"], "pull_request", False),
        (["issue*"], "issue_comment", True),
        ([], "push", False),
        ("push", "push", True),
        (None, "push", False),
    ],
)
def test_event_type_patterns(patterns, event_type, expected):
    assert event_type_matches(patterns, event_type) is expected


@pytest.mark.django_db
def test_check_route_explains_an_event_type_mismatch(make_route):
    route = make_route("issues only", event_types=["issues"])
    check = check_route(route, "push", {})
    assert not check.matched
    assert check.reason == "event type 'push' does not match ['issues']"
    assert check.failed_condition is None


@pytest.mark.django_db
def test_check_route_points_at_the_failed_condition(make_route):
    route = make_route("main", conditions=[{"path": "$.ref", "op": "exists"}, ON_MAIN])
    check = check_route(route, "push", {"ref": "refs/heads/dev"})
    assert not check.matched
    assert check.failed_condition is not None and check.failed_condition.index == 1
    assert check.reason.startswith("condition 2 ($.ref): equals")


@pytest.mark.django_db
def test_check_route_matches_and_reports_inactive_routes(make_route):
    route = make_route("main", event_types=["push"], conditions=[ON_MAIN])
    assert check_route(route, "push", {"ref": "refs/heads/main"}).matched
    route.is_active = False
    assert check_route(route, "push", {"ref": "refs/heads/main"}).reason == "route is inactive"


@pytest.mark.django_db
def test_every_matching_route_is_returned_by_priority_then_id(make_route):
    low = make_route("low", priority=10)
    high = make_route("high", priority=500)
    mid_first = make_route("mid first", priority=100)
    mid_second = make_route("mid second", priority=100, event_types=["push"])
    event = make_event(low.source, "push", {"ref": "refs/heads/main"})
    assert matching_routes(event) == [high, mid_first, mid_second, low]


@pytest.mark.django_db
def test_routes_whose_type_or_conditions_fail_are_left_out(make_route, source):
    everything = make_route("everything")
    make_route("issues", event_types=["issues"])
    make_route("main only", conditions=[ON_MAIN])
    event = make_event(source, "push", {"ref": "refs/heads/dev"})
    assert matching_routes(event) == [everything]


@pytest.mark.django_db
def test_inactive_routes_are_excluded(make_route, source):
    make_route("paused", is_active=False)
    live = make_route("live")
    assert matching_routes(make_event(source, "push", {})) == [live]


@pytest.mark.django_db
def test_routes_of_other_sources_are_excluded(make_route, source):
    other = Source.objects.create(name="Stripe", slug="stripe")
    make_route("stripe route", source=other)
    mine = make_route("github route")
    assert matching_routes(make_event(source, "push", {})) == [mine]


@pytest.mark.django_db
def test_no_routes_match_gives_an_empty_list(make_route, source):
    make_route("main only", conditions=[ON_MAIN])
    assert matching_routes(make_event(source, "push", None)) == []


@pytest.mark.django_db
def test_matched_routes_come_with_their_destination(make_route, source, destination):
    make_route("everything")
    [route] = matching_routes(make_event(source, "push", {}))
    assert route.destination == destination


def test_valid_event_types_have_no_messages():
    assert validate_event_types(["*"]) == []
    assert validate_event_types(["push", "pull_request.*"]) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("push", 'event types must be a list of strings, e.g. ["push"], or ["*"] for all'),
        (None, 'event types must be a list of strings, e.g. ["push"], or ["*"] for all'),
        ([], 'event types must not be empty; use ["*"] to match every event'),
        (["push", ""], "event type 2: must be a non-empty string"),
        ([3], "event type 1: must be a non-empty string"),
        ([" push"], "event type 1 (' push'): has spaces around it"),
        (["x" * 201], "event type 1: longer than 200 characters"),
    ],
)
def test_bad_event_types_are_explained(value, message):
    assert validate_event_types(value) == [message]
