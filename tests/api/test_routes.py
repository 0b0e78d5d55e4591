from __future__ import annotations

from apps.core.models import Route
from tests.api.conftest import assert_error
from tests.factories import make_destination, make_route, make_source


def test_it_creates_reads_updates_and_deletes_a_route(api, source, destination):
    created = api.post(
        "/api/routes/",
        {
            "name": "main pushes",
            "source": source.pk,
            "destination": destination.pk,
            "event_types": ["push"],
            "conditions": [{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}],
            "transformer": "github_to_slack",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source_slug"] == "github"
    assert body["destination_name"] == destination.name
    assert body["priority"] == 100
    assert body["transformer_options"] == {}
    url = f"/api/routes/{body['id']}/"

    patched = api.patch(
        url, {"priority": 5, "event_types": ["push", "pull_request.*"]}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["event_types"] == ["push", "pull_request.*"]

    replaced = api.put(
        url,
        {"name": "all", "source": source.pk, "destination": destination.pk, "event_types": ["*"]},
        format="json",
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["name"] == "all"
    assert replaced.json()["event_types"] == ["*"]

    assert api.delete(url).status_code == 204
    assert not Route.objects.exists()


def test_it_names_the_bad_condition(api, source, destination):
    response = api.post(
        "/api/routes/",
        {
            "name": "r",
            "source": source.pk,
            "destination": destination.pk,
            "conditions": [
                {"path": "$.ref", "op": "equals", "value": "x"},
                {"path": "$.action", "op": "resembles", "value": "x"},
                {"path": "$[[", "op": "exists"},
            ],
        },
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    messages = error["fields"]["conditions"]
    assert any(m.startswith("condition 2") and "resembles" in m for m in messages)
    assert any(m.startswith("condition 3") and "JSONPath" in m for m in messages)


def test_it_refuses_conditions_that_are_not_a_list(api, route):
    response = api.patch(f"/api/routes/{route.pk}/", {"conditions": {"path": "$"}}, format="json")

    assert "conditions" in assert_error(response, 400, "validation_error")["fields"]


def test_it_refuses_empty_event_types(api, route):
    response = api.patch(f"/api/routes/{route.pk}/", {"event_types": []}, format="json")

    assert "event_types" in assert_error(response, 400, "validation_error")["fields"]


def test_it_refuses_an_unknown_transformer_and_bad_options(api, route):
    unknown = api.patch(f"/api/routes/{route.pk}/", {"transformer": "to_fax"}, format="json")
    assert "transformer" in assert_error(unknown, 400, "validation_error")["fields"]

    options = api.patch(
        f"/api/routes/{route.pk}/",
        {"transformer": "form_to_email", "transformer_options": {}},
        format="json",
    )
    error = assert_error(options, 400, "validation_error")
    assert "to" in error["fields"]["transformer_options"][0]


def test_it_refuses_an_unknown_source(api, destination):
    response = api.post(
        "/api/routes/",
        {"name": "r", "source": 999999, "destination": destination.pk},
        format="json",
    )

    assert "source" in assert_error(response, 400, "validation_error")["fields"]


def test_it_dry_runs_a_route_that_matches(api, route):
    route.transformer = "passthrough"
    route.conditions = [{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}]
    route.save()

    response = api.post(
        f"/api/routes/{route.pk}/test/",
        {"event_type": "push", "payload": {"ref": "refs/heads/main"}, "headers": {"X-A": "1"}},
        format="json",
    )

    assert response.status_code == 200, response.content
    result = response.json()
    assert result["matched"] is True
    assert result["failed_condition"] is None
    assert result["output"]["content_type"].startswith("application/json")
    assert result["output"]["body"] == {"ref": "refs/heads/main"}
    assert result["error"] == ""


def test_it_names_the_condition_that_stops_a_route(api, route):
    route.conditions = [
        {"path": "$.ref", "op": "exists"},
        {"path": "$.ref", "op": "equals", "value": "refs/heads/main"},
    ]
    route.save()

    result = api.post(
        f"/api/routes/{route.pk}/test/",
        {"event_type": "push", "payload": {"ref": "refs/heads/dev"}},
        format="json",
    ).json()

    assert result["matched"] is False
    failed = result["failed_condition"]
    assert failed["index"] == 1
    assert failed["path"] == "$.ref"
    assert failed["op"] == "equals"
    assert failed["value"] == "refs/heads/main"
    assert "refs/heads/dev" in failed["detail"]


def test_it_says_when_the_event_type_does_not_match(api, route):
    result = api.post(
        f"/api/routes/{route.pk}/test/", {"event_type": "issues", "payload": {}}, format="json"
    ).json()

    assert result["matched"] is False
    assert "issues" in result["reason"]
    assert result["failed_condition"] is None


def test_it_reports_a_transformer_that_cannot_shape_the_sample(api, source, destination):
    route = make_route(
        source, destination, transformer="form_to_email", transformer_options={"to": "a@b.example"}
    )

    result = api.post(
        f"/api/routes/{route.pk}/test/", {"event_type": "push", "payload": [1, 2]}, format="json"
    ).json()

    assert result["output"] is None
    assert "form_to_email" in result["error"]


def test_it_lists_the_operators(api):
    operators = api.get("/api/routes/operators/").json()["operators"]

    assert "equals" in operators and "regex" in operators


def test_it_filters_and_orders_routes(api, sink):
    github, stripe = make_source(slug="gh"), make_source(slug="st")
    slack = make_destination(sink.url)
    make_route(github, slack, name="low", priority=1)
    make_route(github, slack, name="high", priority=9, is_active=False)
    make_route(stripe, slack, name="other", priority=5)

    def names(query: str) -> list[str]:
        return [item["name"] for item in api.get(f"/api/routes/?{query}").json()["results"]]

    assert names(f"source={github.pk}") == ["high", "low"]
    assert names(f"destination={slack.pk}&is_active=true&ordering=priority") == ["low", "other"]
    assert names("ordering=name") == ["high", "low", "other"]
    assert_error(api.get("/api/routes/?source=abc"), 400, "validation_error")
