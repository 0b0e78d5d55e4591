"""POST /api/routes/validate/: the route form checks what it would save as the user
types, by the same rules as a save, and nothing is stored."""

from __future__ import annotations

from apps.core.models import Route
from tests.api.conftest import assert_error


def body(source, destination, **fields) -> dict:
    return {
        "name": "main pushes",
        "source": source.pk,
        "destination": destination.pk,
        "event_types": ["push"],
        **fields,
    }


def test_a_malformed_jsonpath_is_named_before_any_save(api, source, destination):
    conditions = [{"path": "$.ref[", "op": "equals", "value": "x"}]

    answer = api.post("/api/routes/validate/", body(source, destination, conditions=conditions))

    assert answer.status_code == 200, answer.content
    result = answer.json()
    assert result["valid"] is False
    [message] = result["field_errors"]["conditions"]
    assert message.startswith("condition 1 ($.ref[): invalid JSONPath")
    assert not Route.objects.exists()


def test_a_malformed_regex_gets_the_message_a_save_would_give(api, source, destination):
    conditions = [{"path": "$.repository.full_name", "op": "regex", "value": "acme/(api"}]
    given = body(source, destination, conditions=conditions)

    checked = api.post("/api/routes/validate/", given, format="json").json()
    saved = assert_error(api.post("/api/routes/", given, format="json"), 400, "validation_error")

    assert checked["valid"] is False
    assert checked["field_errors"] == saved["fields"]
    assert checked["message"] == saved["message"]


def test_a_valid_route_is_valid_and_not_saved(api, source, destination):
    answer = api.post("/api/routes/validate/", body(source, destination), format="json").json()

    assert answer == {"valid": True, "message": "", "field_errors": {}}
    assert not Route.objects.exists()


def test_a_change_of_a_route_keeps_its_own_name(api, route):
    given = {"name": route.name, "event_types": ["push", "issues"]}

    answer = api.post(f"/api/routes/validate/?route={route.pk}", given, format="json").json()
    as_new = api.post(
        "/api/routes/validate/",
        {**given, "source": route.source_id, "destination": route.destination_id},
        format="json",
    ).json()

    assert answer["valid"] is True
    assert as_new["valid"] is False and "name" in as_new["field_errors"]
    route.refresh_from_db()
    assert route.event_types == ["push"]


def test_an_unknown_route_to_check_against_is_a_clear_error(api, source, destination):
    for wanted in ("999999", "abc"):
        answer = api.post(f"/api/routes/validate/?route={wanted}", {}, format="json")
        error = assert_error(answer, 400, "validation_error")
        assert "route" in error["fields"]


def test_a_body_that_is_not_an_object_is_invalid_not_a_crash(api):
    answer = api.post("/api/routes/validate/", [1, 2], format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["valid"] is False
