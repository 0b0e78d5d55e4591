"""The reasons routing stores per route: the failed condition with the value found, a
nested leaf by its place, a group by its detail."""

from __future__ import annotations

import pytest

from apps.core.models import Destination, Event, EventStatus, Route, Source
from apps.routing.matching import route_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def route():
    source = Source.objects.create(name="GitHub", slug="github")
    destination = Destination.objects.create(name="Slack", url="https://hooks.example.com/x")
    return Route(name="r", source=source, destination=destination, pk=7)


def reason(route: Route, conditions: list, payload: dict) -> str:
    route.conditions = conditions
    event = Event(source=route.source, event_type="push", payload=payload, headers={})
    [verdict] = route_event(event, [route]).verdicts
    assert verdict["route"] == 7 and verdict["matched"] is False
    return verdict["reason"]


def test_it_names_the_condition_the_value_found_and_what_was_expected(route):
    conditions = [
        {"path": "$.action", "op": "exists"},
        {"path": "$.size", "op": "gt", "value": 10},
    ]
    assert reason(route, conditions, {"action": "x", "size": 3}) == (
        "condition 2 failed: $.size was 3, expected gt 10"
    )


def test_it_says_when_the_path_found_nothing(route):
    conditions = [{"path": "headers.x-team", "op": "equals", "value": "core"}]
    assert reason(route, conditions, {}) == (
        'condition 1 failed: headers.x-team found nothing, expected equals "core"'
    )


def test_a_nested_leaf_is_named_by_its_place(route):
    conditions = [{"all": [{"path": "$.a", "op": "equals", "value": 1}]}]
    assert reason(route, conditions, {"a": 2}) == (
        "condition 1 failed at conditions[0].all[0]: $.a was 2, expected equals 1"
    )


def test_an_any_group_that_failed_says_each_of_its_items(route):
    conditions = [
        {
            "any": [
                {"path": "$.a", "op": "equals", "value": 1},
                {"path": "$.b", "op": "equals", "value": 2},
            ]
        }
    ]
    text = reason(route, conditions, {"a": 0})
    assert text.startswith("condition 1 failed")
    assert "none of any passed" in text and "$.a" in text and "$.b" in text


def test_a_long_value_is_cut_short(route):
    conditions = [{"path": "$.a", "op": "equals", "value": "x"}]
    assert len(reason(route, conditions, {"a": "y" * 5000})) <= 300


def test_the_status_is_filtered_only_when_an_active_route_exists(route):
    event = Event(source=route.source, event_type="push", payload={}, headers={})
    route.conditions = [{"path": "$.a", "op": "exists"}]
    assert route_event(event, [route]).status == EventStatus.FILTERED
    route.is_active = False
    assert route_event(event, [route]).status == EventStatus.NO_ROUTE
    assert route_event(event, []).status == EventStatus.NO_ROUTE
