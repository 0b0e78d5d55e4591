"""relay_apply / relay_export with JavaScript transformations and grouped conditions."""

from __future__ import annotations

import pytest

from apps.config import config_file
from apps.config.config_file import ConfigError
from apps.core.models import Route, Transformation

pytestmark = pytest.mark.django_db

CODE = "function transform(event) { return {text: event.body.ref}; }"
GROUPED = [
    {"path": "headers.x-github-event", "op": "equals", "value": "push"},
    {
        "any": [
            {"path": "$.ref", "op": "starts_with", "value": "refs/heads/release/"},
            {"not": {"path": "query.env", "op": "equals", "value": "test"}},
        ]
    },
]


def document(**route) -> dict:
    return {
        "sources": [{"slug": "gh", "name": "GitHub", "verification": {"scheme": "none"}}],
        "destinations": [{"name": "teams", "url": "https://example.com/hook"}],
        "transformations": [{"name": "to text", "description": "ref only", "code": CODE}],
        "routes": [
            {
                "name": "pushes",
                "source": "gh",
                "destination": "teams",
                "event_types": ["push"],
                "conditions": GROUPED,
                "transformation": "to text",
                **route,
            }
        ],
    }


def test_a_file_creates_transformations_and_routes_that_use_them():
    changes = config_file.apply(document())

    assert "create transformation 'to text'" in changes
    route = Route.objects.get(name="pushes")
    assert route.transformation.name == "to text"
    assert route.transformer == ""
    assert route.conditions == GROUPED


def test_transformations_and_grouped_conditions_round_trip():
    config_file.apply(document())

    exported = config_file.export()

    assert exported["transformations"] == [
        {"name": "to text", "description": "ref only", "code": CODE}
    ]
    [route] = exported["routes"]
    assert (route["transformation"], route["transformer"], route["conditions"]) == (
        "to text",
        "",
        GROUPED,
    )
    assert config_file.apply(exported) == []


def test_new_code_in_the_file_is_a_new_version():
    config_file.apply(document())
    changed = document()
    changed["transformations"][0]["code"] = CODE.replace("text", "ref")

    changes = config_file.apply(changed)

    assert "update transformation 'to text': code changed" in changes
    assert Transformation.objects.get(name="to text").version == 2


def test_a_route_can_go_back_to_a_built_in_transformer():
    config_file.apply(document())

    config_file.apply(document(transformation=None, transformer="passthrough"))

    route = Route.objects.get(name="pushes")
    assert (route.transformer, route.transformation) == ("passthrough", None)


def test_bad_code_an_unknown_transformation_and_a_bad_group_are_all_named():
    doc = document(transformation="missing", conditions=[{"any": []}])
    doc["transformations"].append({"name": "broken", "code": "function transform("})

    with pytest.raises(ConfigError) as raised:
        config_file.apply(doc)

    message = str(raised.value)
    assert "transformation 'broken': code: the code does not compile" in message
    assert "route 'pushes': unknown transformation 'missing'" in message
    assert not Transformation.objects.exists()


def test_a_bad_group_in_the_file_is_named_by_its_place():
    with pytest.raises(ConfigError) as raised:
        config_file.apply(document(conditions=[{"path": "$.a", "op": "exists"}, {"any": []}]))

    assert "route 'pushes': conditions: conditions[1].any: must be a non-empty list" in str(
        raised.value
    )
