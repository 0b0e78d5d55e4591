"""Route conditions: each operator, missing paths, several matches, validation messages."""

from __future__ import annotations

import pytest

from apps.routing.conditions import (
    OPERATORS,
    ConditionResult,
    evaluate,
    first_failure,
    validate_conditions,
)

PUSH = {
    "ref": "refs/heads/main",
    "forced": False,
    "size": 3,
    "score": "4.5",
    "labels": ["bug", "urgent"],
    "commits": [
        {"id": "a1", "author": {"name": "alice"}, "added": 2},
        {"id": "b2", "author": {"name": "dependabot[bot]"}, "added": 0},
    ],
    "repository": {"full_name": "octo/hello", "description": None},
}


def cond(path: str, op: str, value=None, **extra) -> dict:
    condition = {"path": path, "op": op, **extra}
    if value is not None:
        condition["value"] = value
    return condition


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cond("$.ref", "equals", "refs/heads/main"), True),
        (cond("$.ref", "equals", "refs/heads/dev"), False),
        (cond("$.ref", "not_equals", "refs/heads/dev"), True),
        (cond("$.ref", "not_equals", "refs/heads/main"), False),
        (cond("$.repository.full_name", "in", ["octo/hello", "octo/other"]), True),
        (cond("$.repository.full_name", "in", ["octo/other"]), False),
        (cond("$.repository.full_name", "not_in", ["octo/other"]), True),
        (cond("$.repository.full_name", "not_in", ["octo/hello"]), False),
        (cond("$.ref", "exists"), True),
        (cond("$.ref", "exists", True), True),
        (cond("$.nope", "exists"), False),
        (cond("$.nope", "exists", False), True),
        (cond("$.ref", "exists", False), False),
        (cond("$.ref", "contains", "heads/ma"), True),
        (cond("$.ref", "contains", "tags/"), False),
        (cond("$.labels", "contains", "urgent"), True),
        (cond("$.labels", "contains", "wontfix"), False),
        (cond("$.ref", "regex", r"^refs/heads/(main|release/.+)$"), True),
        (cond("$.ref", "regex", r"^refs/tags/"), False),
        (cond("$.size", "gt", 2), True),
        (cond("$.size", "gt", 3), False),
        (cond("$.size", "gte", 3), True),
        (cond("$.size", "gte", 4), False),
        (cond("$.size", "lt", 4), True),
        (cond("$.size", "lt", 3), False),
        (cond("$.size", "lte", 3), True),
        (cond("$.size", "lte", 2.5), False),
    ],
)
def test_each_operator_passes_and_fails(condition, expected):
    assert evaluate(condition, PUSH) is expected


def test_the_registry_lists_every_operator():
    assert set(OPERATORS) == {
        "equals",
        "not_equals",
        "in",
        "not_in",
        "exists",
        "contains",
        "starts_with",
        "ends_with",
        "regex",
        "gt",
        "gte",
        "lt",
        "lte",
    }


def test_numeric_strings_are_coerced_on_both_sides():
    assert evaluate(cond("$.score", "gt", 4), PUSH)
    assert evaluate(cond("$.size", "lte", "3"), PUSH)


@pytest.mark.parametrize("path", ["$.ref", "$.forced", "$.repository.description", "$.labels"])
def test_non_numbers_compare_false_instead_of_raising(path):
    for op in ("gt", "gte", "lt", "lte"):
        assert evaluate(cond(path, op, 0), PUSH) is False


def test_booleans_never_equal_numbers():
    assert evaluate(cond("$.forced", "equals", False), PUSH)
    assert not evaluate(cond("$.forced", "equals", 0), PUSH)
    assert not evaluate(cond("$.size", "in", [True]), PUSH)


def test_null_counts_as_present_and_can_be_compared():
    assert evaluate({"path": "$.repository.description", "op": "exists"}, PUSH)
    assert evaluate({"path": "$.repository.description", "op": "equals", "value": None}, PUSH)


def test_contains_on_other_types_is_false():
    assert not evaluate(cond("$.size", "contains", "3"), PUSH)
    assert not evaluate(cond("$.ref", "contains", 3), PUSH)


def test_regex_ignores_non_strings():
    assert not evaluate(cond("$.size", "regex", "3"), PUSH)


@pytest.mark.parametrize("op", ["equals", "not_equals", "in", "not_in", "contains", "regex", "gt"])
def test_a_missing_path_fails_every_operator_but_exists_false(op):
    value = ["x"] if op in ("in", "not_in") else ("1" if op == "gt" else "x")
    assert evaluate(cond("$.missing.deeper", op, value), PUSH) is False


def test_several_values_pass_when_any_matches():
    assert evaluate(cond("$.commits[*].author.name", "equals", "alice"), PUSH)
    assert evaluate(cond("$.commits[*].author.name", "regex", r"\[bot\]$"), PUSH)
    assert evaluate(cond("$.commits[*].added", "gt", 1), PUSH)


def test_negative_operators_pass_only_when_no_value_matches():
    assert not evaluate(cond("$.commits[*].author.name", "not_equals", "alice"), PUSH)
    assert evaluate(cond("$.commits[*].author.name", "not_equals", "carol"), PUSH)
    assert not evaluate(cond("$.commits[*].author.name", "not_in", ["alice", "x"]), PUSH)


def test_filters_work_in_paths():
    bot = "$.commits[?(@.author.name == 'dependabot[bot]')].id"
    assert evaluate(cond(bot, "equals", "b2"), PUSH)


@pytest.mark.parametrize("payload", [None, [], "text", 42, {}])
def test_payloads_that_are_not_objects_do_not_raise(payload):
    assert evaluate(cond("$.ref", "equals", "x"), payload) is False
    assert evaluate(cond("$.ref", "exists", False), payload) is True


def test_first_failure_names_the_failing_condition():
    conditions = [cond("$.ref", "exists"), cond("$.size", "gt", 10), cond("$.nope", "exists")]
    failure = first_failure(conditions, PUSH)
    assert isinstance(failure, ConditionResult)
    assert (failure.passed, failure.index, failure.condition) == (False, 1, conditions[1])
    assert failure.detail.startswith("condition 2 ($.size): gt 10 failed; found 3")


def test_first_failure_reports_a_missing_path():
    failure = first_failure([cond("$.nope", "equals", "x")], PUSH)
    assert failure is not None and "found nothing" in failure.detail


def test_first_failure_is_none_when_all_pass_or_there_are_none():
    assert first_failure([cond("$.ref", "exists"), cond("$.size", "gte", 3)], PUSH) is None
    assert first_failure([], PUSH) is None
    assert first_failure(None, PUSH) is None


def test_a_malformed_condition_fails_evaluation_without_raising():
    failure = first_failure([cond("$.ref", "equal", "x")], PUSH)
    assert failure is not None and "unknown operator 'equal'" in failure.detail
    assert evaluate(cond("$.[bad", "equals", "x"), PUSH) is False
    assert evaluate(cond("$.ref", "regex", "(unclosed"), PUSH) is False
    assert first_failure({"path": "$.ref"}, PUSH) is not None


def test_valid_conditions_have_no_messages():
    conditions = [
        cond("$.ref", "equals", "refs/heads/main"),
        {"path": "$.deleted", "op": "exists"},
        cond("$.size", "gt", "2"),
        {"path": "$.x", "op": "equals", "value": None},
    ]
    assert validate_conditions(conditions) == []
    assert validate_conditions([]) == []


def test_an_unknown_operator_is_named_with_its_condition():
    messages = validate_conditions([cond("$.a", "exists"), cond("$.ref", "equal", "main")])
    assert messages == [
        "condition 2 ($.ref): unknown operator 'equal'; expected one of equals, not_equals, "
        "in, not_in, exists, contains, starts_with, ends_with, regex, gt, gte, lt, lte"
    ]


def test_an_invalid_jsonpath_is_named_with_its_condition():
    [message] = validate_conditions([cond("$.[bad", "equals", "x")])
    assert message.startswith("condition 1 ($.[bad): invalid JSONPath: ")


def test_an_invalid_regex_is_refused():
    [message] = validate_conditions([cond("$.ref", "regex", "(unclosed")])
    assert message.startswith("condition 1 ($.ref): invalid regex '(unclosed': ")


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ({"path": "$.ref", "op": "equals"}, "operator 'equals' needs a \"value\""),
        (cond("$.ref", "in", "main"), "value must be a list"),
        (cond("$.ref", "not_in", {"a": 1}), "value must be a list"),
        (cond("$.size", "gt", "big"), "value must be a number"),
        (cond("$.size", "lte", True), "value must be a number"),
        (cond("$.ref", "exists", "yes"), "value must be true or false"),
        (cond("$.ref", "regex", 5), "value must be a regular expression string"),
        ({"op": "exists"}, '"path" must be a JSONPath string such as $.ref'),
        ({"path": "$.ref", "value": 1}, '"op" is required; expected one of equals'),
        (cond("$.ref", "equals", "x", extra=1), "unexpected key(s) extra"),
    ],
)
def test_structure_and_value_problems_are_explained(condition, problem):
    messages = validate_conditions([condition])
    assert len(messages) == 1
    assert messages[0].startswith("condition 1")
    assert problem in messages[0]


def test_conditions_must_be_a_list_of_objects():
    assert validate_conditions({"path": "$.a"}) == [
        "conditions must be a list of {path, op, value} objects"
    ]
    assert validate_conditions(["$.a"]) == [
        'condition 1: must be an object with "path", "op" and usually "value"'
    ]


def test_every_problem_is_reported_not_just_the_first():
    messages = validate_conditions([cond("$.[", "nope", 1), cond("$.ok", "in", 3)])
    assert len(messages) == 3
    assert [m.split(":")[0] for m in messages] == [
        "condition 1 ($.[)",
        "condition 1 ($.[)",
        "condition 2 ($.ok)",
    ]
