"""/api/transformations/: CRUD with versions and audit, the run endpoints, routes using one."""

from __future__ import annotations

from auditlog.models import LogEntry

from apps.core.models import Route, Transformation, TransformationVersion
from tests.api.conftest import assert_error
from tests.api.factories import make_event

SHAPE = "function transform(event) { return {text: 'ref ' + event.body.ref}; }"


def create(api, **fields):
    data = {"name": "to text", "description": "one line", "code": SHAPE, **fields}
    return api.post("/api/transformations/", data, format="json")


def test_it_creates_and_versions_a_transformation(api):
    created = create(api)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and body["routes"] == []
    assert set(body) == {
        "id",
        "name",
        "description",
        "code",
        "version",
        "routes",
        "created_at",
        "updated_at",
    }
    url = f"/api/transformations/{body['id']}/"

    described = api.patch(url, {"description": "two"}, format="json")
    assert described.json()["version"] == 1  # the code did not change
    changed = api.patch(url, {"code": SHAPE.replace("ref ", "at ")}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    kept = TransformationVersion.objects.filter(transformation_id=body["id"])
    assert sorted(kept.values_list("version", "code")) == [
        (1, SHAPE),
        (2, SHAPE.replace("ref ", "at ")),
    ]


def test_every_change_is_audited_with_a_diff_of_the_code(api):
    body = create(api).json()
    api.patch(
        f"/api/transformations/{body['id']}/",
        {"code": "function transform(e) { return 1; }"},
        format="json",
    )

    entry = LogEntry.objects.get_for_object(Transformation.objects.get(pk=body["id"])).first()
    assert entry.changes_dict["code"] == [SHAPE, "function transform(e) { return 1; }"]


def test_code_that_does_not_compile_or_lacks_transform_is_refused(api):
    broken = create(api, code="function transform(")
    error = assert_error(broken, 400, "validation_error")
    assert "does not compile" in error["fields"]["code"][0]
    missing = create(api, code="function shape(e) { return e; }")
    assert "transform(event)" in assert_error(missing, 400, "validation_error")["fields"]["code"][0]


def test_names_are_unique_among_live_transformations(api):
    first = create(api).json()
    assert_error(create(api), 400, "validation_error")
    assert api.delete(f"/api/transformations/{first['id']}/").status_code == 204
    assert create(api).status_code == 201


def test_a_route_uses_a_transformation_instead_of_a_transformer(api, source, destination):
    transformation = create(api).json()
    route = {"name": "shaped", "source": source.pk, "destination": destination.pk}

    created = api.post(
        "/api/routes/", {**route, "transformation": transformation["id"]}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["transformer"] == ""
    assert created.json()["transformation"] == transformation["id"]
    read = api.get(f"/api/transformations/{transformation['id']}/").json()
    assert read["routes"] == [created.json()["id"]]

    both = api.post(
        "/api/routes/",
        {
            **route,
            "name": "both",
            "transformer": "passthrough",
            "transformation": transformation["id"],
        },
        format="json",
    )
    assert "not both" in assert_error(both, 400, "validation_error")["fields"]["transformation"][0]
    neither = api.post("/api/routes/", {**route, "name": "none", "transformer": ""}, format="json")
    assert "transformer" in assert_error(neither, 400, "validation_error")["fields"]


def test_a_transformation_in_use_cannot_be_deleted(api, source, destination):
    transformation = create(api).json()
    api.post(
        "/api/routes/",
        {
            "name": "r",
            "source": source.pk,
            "destination": destination.pk,
            "transformation": transformation["id"],
        },
        format="json",
    )
    answer = api.delete(f"/api/transformations/{transformation['id']}/")
    assert "r" in assert_error(answer, 409, "conflict")["message"]
    Route.objects.get(name="r").delete()
    assert api.delete(f"/api/transformations/{transformation['id']}/").status_code == 204


def test_running_a_saved_transformation_on_a_sample_shows_output_and_logs(api):
    code = (
        "function transform(e) { console.log('got', e.event_type);"
        " return {body: e.body, headers: {'X-Kind': e.event_type}}; }"
    )
    transformation = create(api, code=code).json()
    answer = api.post(
        f"/api/transformations/{transformation['id']}/run/",
        {"event": {"body": {"ref": "main"}, "event_type": "push"}},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    result = answer.json()
    assert result["output"] == {"body": {"ref": "main"}, "headers": {"X-Kind": "push"}}
    assert result["logs"] == ["got push"]
    assert result["skipped"] is False and result["error"] is None
    assert isinstance(result["duration_ms"], float)


def test_running_code_without_saving_on_a_stored_event(api, source):
    event = make_event(source, {"ref": "refs/heads/dev"})
    code = (
        "function transform(e) {"
        " return e.headers['x-github-event'] + ' ' + e.body.ref + ' ' + e.source; }"
    )
    answer = api.post(
        "/api/transformations/run/", {"code": code, "event_id": event.pk}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["output"]["body"] == "push refs/heads/dev github"
    assert not Transformation.objects.exists()


def test_a_run_that_fails_or_skips_says_so(api):
    skipped = api.post(
        "/api/transformations/run/",
        {"code": "function transform(e) { return null; }", "event": {"body": 1}},
        format="json",
    ).json()
    assert skipped == {**skipped, "output": None, "skipped": True, "error": None}
    looping = api.post(
        "/api/transformations/run/",
        {"code": "function transform(e) { for (;;) {} }", "event": {"body": 1}},
        format="json",
    ).json()
    assert looping["error"] == "timed out after 100 ms" and looping["output"] is None


def test_a_run_needs_exactly_one_event(api, source):
    code = {"code": SHAPE}
    invalid = "validation_error"
    assert_error(api.post("/api/transformations/run/", code, format="json"), 400, invalid)
    both = {**code, "event": {"body": 1}, "event_id": make_event(source).pk}
    assert_error(api.post("/api/transformations/run/", both, format="json"), 400, invalid)
    missing = api.post("/api/transformations/run/", {**code, "event_id": 999999}, format="json")
    assert "no stored event" in assert_error(missing, 400, invalid)["fields"]["event_id"][0]
    no_body = api.post(
        "/api/transformations/run/", {**code, "event": {"headers": {}}}, format="json"
    )
    assert "body" in assert_error(no_body, 400, invalid)["fields"]["event"][0]
