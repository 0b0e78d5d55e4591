"""The route tester on groups, header and query paths, and on a JavaScript transformation."""

from __future__ import annotations

from apps.core.models import Transformation
from tests.api.conftest import assert_error


def dry_run(api, route, **sample):
    answer = api.post(
        f"/api/routes/{route.pk}/test/", {"event_type": "push", **sample}, format="json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_the_tester_names_the_failing_leaf_of_a_group(api, route):
    route.conditions = [
        {"path": "headers.X-GitHub-Event", "op": "equals", "value": "push"},
        {
            "all": [
                {"path": "$.ref", "op": "exists"},
                {"path": "query.env", "op": "equals", "value": "prod"},
            ]
        },
    ]
    route.save()

    result = dry_run(
        api, route, payload={"ref": "main"}, headers={"x-github-event": "push"}, query="env=dev"
    )

    assert result["matched"] is False
    failed = result["failed_condition"]
    assert failed["place"] == "conditions[1].all[1]"
    assert (failed["index"], failed["path"], failed["value"]) == (1, "query.env", "prod")
    assert 'found "dev"' in failed["detail"]
    again = dry_run(
        api, route, payload={"ref": "main"}, headers={"X-GitHub-Event": "push"}, query="env=prod"
    )
    assert again["matched"] is True and again["failed_condition"] is None


def test_the_tester_runs_the_routes_javascript_transformation(api, route):
    route.transformation = Transformation.objects.create(
        name="teams",
        code=(
            "function transform(e) { return e.body.skip ? null :"
            " {body: 'hi ' + e.body.who, headers: {'Content-Type': 'text/x-hi'}}; }"
        ),
    )
    route.transformer = ""
    route.save()

    shaped = dry_run(api, route, payload={"who": "ann"})
    assert shaped["output"] == {"content_type": "text/x-hi", "body": "hi ann"}
    skipped = dry_run(api, route, payload={"skip": True})
    assert skipped["output"] is None
    assert skipped["error"].startswith("filtered by the transformation 'teams'")


def test_saving_a_route_with_a_bad_group_names_the_place(api, route):
    bad = [{"path": "$.ref", "op": "exists"}, {"any": [{"path": "headers.", "op": "exists"}]}]
    answer = api.patch(f"/api/routes/{route.pk}/", {"conditions": bad}, format="json")
    [message] = assert_error(answer, 400, "validation_error")["fields"]["conditions"]
    assert message.startswith("conditions[1].any[0] (headers.):")
