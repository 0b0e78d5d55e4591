"""Conditions on headers and the query string, starts_with / ends_with, and groups."""

from __future__ import annotations

import pytest

from apps.routing.conditions import first_failure, validate_conditions

PUSH = {"ref": "refs/heads/main", "repository": {"full_name": "acme/api"}}
HEADERS = {"x-github-event": "push", "user-agent": "GitHub-Hookshot/abc"}
QUERY = "env=prod&tag=a&tag=b&empty="


def fails(conditions, payload=PUSH, headers=HEADERS, query=QUERY):
    return first_failure(conditions, payload, headers, query)


def test_a_header_path_is_case_insensitive():
    assert fails([{"path": "headers.X-GitHub-Event", "op": "equals", "value": "push"}]) is None
    assert fails([{"path": "headers.user-agent", "op": "starts_with", "value": "GitHub-"}]) is None
    missing = fails([{"path": "headers.x-missing", "op": "exists"}])
    assert "found nothing" in missing.detail


def test_a_query_path_sees_every_value_of_its_name():
    assert fails([{"path": "query.env", "op": "equals", "value": "prod"}]) is None
    assert fails([{"path": "query.tag", "op": "in", "value": ["b"]}]) is None
    assert fails([{"path": "query.empty", "op": "equals", "value": ""}]) is None
    assert fails([{"path": "query.ENV", "op": "exists"}]) is not None  # names keep their case


def test_starts_with_and_ends_with_test_strings_only():
    assert fails([{"path": "$.ref", "op": "starts_with", "value": "refs/heads/"}]) is None
    assert fails([{"path": "$.repository.full_name", "op": "ends_with", "value": "/api"}]) is None
    assert fails([{"path": "$.ref", "op": "ends_with", "value": "dev"}]) is not None
    assert fails([{"path": "$.repository", "op": "starts_with", "value": "{"}]) is not None


def test_any_passes_when_one_item_passes():
    group = {
        "any": [
            {"path": "$.ref", "op": "equals", "value": "refs/heads/dev"},
            {"path": "headers.x-github-event", "op": "equals", "value": "push"},
        ]
    }
    assert fails([group]) is None


def test_a_failing_any_names_each_leaf_it_tried():
    group = {
        "any": [
            {"path": "$.ref", "op": "equals", "value": "refs/heads/dev"},
            {"path": "query.env", "op": "equals", "value": "staging"},
        ]
    }
    failure = fails([{"path": "$.ref", "op": "exists"}, group])
    assert failure.index == 1
    assert failure.place == "conditions[1].any[0]"
    assert failure.detail.startswith("conditions[1]: none of any passed: conditions[1].any[0]")
    assert 'conditions[1].any[1] (query.env): equals "staging" failed' in failure.detail


def test_a_failing_all_inside_a_group_names_its_leaf():
    conditions = [
        {
            "any": [
                {
                    "all": [
                        {"path": "$.ref", "op": "exists"},
                        {"path": "query.env", "op": "equals", "value": "x"},
                    ]
                },
            ]
        }
    ]
    failure = fails(conditions)
    assert failure.place == "conditions[0].any[0].all[1]"
    assert "conditions[0].any[0].all[1] (query.env)" in failure.detail


def test_not_inverts_its_item():
    blocked = {"not": {"path": "$.ref", "op": "ends_with", "value": "/main"}}
    failure = fails([blocked])
    assert failure.place == "conditions[0]"
    assert "the condition inside passed" in failure.detail
    assert fails([{"not": {"path": "$.ref", "op": "equals", "value": "x"}}]) is None


def test_nested_groups_combine():
    conditions = [
        {"path": "headers.x-github-event", "op": "equals", "value": "push"},
        {
            "any": [
                {"path": "$.ref", "op": "equals", "value": "refs/heads/main"},
                {
                    "all": [
                        {"path": "query.env", "op": "equals", "value": "prod"},
                        {"not": {"path": "$.ref", "op": "exists"}},
                    ]
                },
            ]
        },
    ]
    assert fails(conditions) is None
    assert fails(conditions, payload={"ref": "refs/heads/dev"}) is not None


def test_existing_flat_routes_keep_working_without_headers():
    assert (
        first_failure([{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}], PUSH) is None
    )


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([{"any": []}], "conditions[0].any: must be a non-empty list of conditions"),
        ([{"all": {"path": "$.a"}}], "conditions[0].all: must be a non-empty list"),
        ([{"any": [1], "all": [1]}], "conditions[0]: a group has exactly one key"),
        (
            [
                {"path": "$.a", "op": "exists"},
                {"any": [{"path": "$.a", "op": "equal", "value": 1}]},
            ],
            "conditions[1].any[0] ($.a): unknown operator 'equal'",
        ),
        (
            [{"not": {"path": "headers.", "op": "exists"}}],
            'conditions[0].not (headers.): "headers." needs a name',
        ),
        ([{"all": [{"path": "$.a", "op": "starts_with", "value": 3}]}], "value must be a string"),
        ([{"not": {"not": "x"}}], "conditions[0].not.not: must be an object"),
    ],
)
def test_validation_names_the_place_of_a_bad_group(conditions, message):
    messages = validate_conditions(conditions)
    assert any(found.startswith(message) or message in found for found in messages), messages


def test_groups_nest_only_so_deep():
    item = {"path": "$.a", "op": "exists"}
    for _ in range(10):
        item = {"not": item}
    [message] = validate_conditions([item])
    assert "nest at most 8 deep" in message


def test_valid_groups_and_new_paths_have_no_messages():
    conditions = [
        {
            "any": [
                {"path": "headers.x-github-event", "op": "in", "value": ["push", "ping"]},
                {"path": "query.token", "op": "exists"},
            ]
        },
        {"not": {"path": "$.ref", "op": "ends_with", "value": "/dev"}},
    ]
    assert validate_conditions(conditions) == []
