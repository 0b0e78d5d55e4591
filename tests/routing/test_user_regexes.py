"""User regexes run on RE2: a pattern that makes Python's re backtrack for hours answers
at once, and the patterns RE2 cannot run are refused when saved and fail when met."""

from __future__ import annotations

import time

import pytest

from apps.core import jsonpath
from apps.core.models import Route
from apps.routing.conditions import check_condition, validate_conditions
from apps.routing.matching import check_route
from tests.factories import make_destination, make_route, make_source

# If the engine were re again, these would hang: the thread method ends the run instead.
pytestmark = pytest.mark.timeout(30, method="thread")

CATASTROPHIC = "^(a+)+$"
EVIL_INPUT = "a" * 48 + "!"  # hours for re.search(CATASTROPHIC, ...)


def elapsed(work) -> tuple[object, float]:
    started = time.monotonic()
    result = work()
    return result, time.monotonic() - started


def test_a_catastrophic_regex_condition_answers_at_once():
    condition = {"path": "$.name", "op": "regex", "value": CATASTROPHIC}

    result, seconds = elapsed(lambda: check_condition(condition, {"name": EVIL_INPUT}))

    assert result.passed is False
    assert seconds < 0.5
    assert check_condition(condition, {"name": "a" * 48}).passed is True


def test_a_catastrophic_jsonpath_filter_answers_at_once():
    path = f'$.items[?(@.name =~ "{CATASTROPHIC}")].id'
    payload = {"items": [{"name": EVIL_INPUT, "id": 1}, {"name": "aaa", "id": 2}]}

    found, seconds = elapsed(lambda: [m.value for m in jsonpath.parse(path).find(payload)])

    assert found == [2]
    assert seconds < 0.5


def test_a_catastrophic_sub_operator_answers_at_once():
    path = "$.name.`sub(/(a+)+$/, X)`"

    found, seconds = elapsed(
        lambda: [m.value for m in jsonpath.parse(path).find({"name": "b" + "a" * 48})]
    )

    assert found == ["bX"]
    assert seconds < 0.5


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=main)refs", r"(?<!x)y", r"(?!dev)\w+"])
def test_a_pattern_re2_cannot_run_is_refused_naming_its_condition(pattern):
    conditions = [
        {"path": "$.ref", "op": "equals", "value": "x"},
        {"path": "$.ref", "op": "regex", "value": pattern},
    ]

    [message] = validate_conditions(conditions)

    assert message.startswith(f"condition 2 ($.ref): invalid regex {pattern!r}: ")
    assert "RE2" in message


def test_a_filter_pattern_re2_cannot_run_is_refused_naming_its_condition():
    conditions = [{"path": '$.commits[?(@.message =~ "(?=fix)")]', "op": "exists"}]

    [message] = validate_conditions(conditions)

    assert message.startswith('condition 1 ($.commits[?(@.message =~ "(?=fix)")]): invalid')
    assert "invalid regex '(?=fix)'" in message


@pytest.mark.django_db
def test_a_stored_route_with_a_backreference_fails_closed_with_the_reason():
    route = make_route(make_source(), make_destination("http://127.0.0.1:9/"))
    # Saved before RE2 was the engine: written straight to the table, past validation.
    Route.objects.filter(pk=route.pk).update(
        conditions=[{"path": "$.ref", "op": "regex", "value": r"(main)\1"}]
    )
    route.refresh_from_db()

    check = check_route(route, "push", {"ref": "mainmain"})

    assert check.matched is False
    assert "invalid regex" in check.reason and "RE2" in check.reason
