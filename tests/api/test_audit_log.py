from __future__ import annotations

from auditlog.models import LogEntry
from rest_framework.test import APIClient

from apps.core.models import Destination
from tests.api.conftest import PASSWORD


def entries(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/audit-log/?{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_it_records_who_created_changed_and_deleted_a_source(api):
    fields = {"name": "GitHub", "slug": "gh", "verification_scheme": "none"}
    created = api.post("/api/sources/", fields, format="json").json()
    api.patch(f"/api/sources/{created['id']}/", {"name": "GitHub.com"}, format="json")
    api.delete(f"/api/sources/{created['id']}/")

    delete, update, create = entries(api, f"object_type=source&object_id={created['id']}")

    assert [create["action"], update["action"], delete["action"]] == ["create", "update", "delete"]
    assert {create["actor"], update["actor"], delete["actor"]} == {"alice"}
    assert create["object_type"] == "source"
    assert create["object_id"] == str(created["id"])
    assert create["changes"]["slug"] == ["None", "gh"]
    assert update["changes"] == {"name": ["GitHub", "GitHub.com"]}
    assert update["object_repr"] == "GitHub.com (gh)"


def test_it_records_the_actor_of_a_session(user, destination):
    client = APIClient()
    client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")

    client.patch(f"/api/destinations/{destination.pk}/", {"timeout_seconds": 2}, format="json")

    [entry] = entries(client, "object_type=destination")[:1]
    assert entry["actor"] == "alice"
    assert entry["changes"] == {"timeout_seconds": ["5.0", "2.0"]}


def test_it_filters_by_actor_and_type(api, route):
    api.patch(f"/api/routes/{route.pk}/", {"priority": 1}, format="json")

    assert [e["object_type"] for e in entries(api, "actor=alice")] == ["route"]
    assert entries(api, "actor=bob") == []
    assert [e["action"] for e in entries(api, "object_type=route")] == ["update", "create"]


def test_it_lists_and_filters_transformations_and_notification_channels(api):
    code = "function transform(event) { return event.body; }"
    api.post("/api/transformations/", {"name": "as is", "code": code}, format="json")
    api.post(
        "/api/notification-channels/",
        {"name": "ops", "kind": "webhook", "url": "http://127.0.0.1:9/hook"},
        format="json",
    )

    [transformation] = entries(api, "object_type=transformation")
    [channel] = entries(api, "object_type=channel")

    assert (transformation["action"], transformation["actor"]) == ("create", "alice")
    assert transformation["changes"]["code"] == ["None", code]
    assert channel["object_repr"] == "ops (webhook)"
    assert channel["changes"]["secret"] == ["", "[hidden]"]


def test_delivery_health_updates_do_not_fill_the_log(destination):
    destination = Destination.objects.get(pk=destination.pk)
    before = LogEntry.objects.count()

    destination.consecutive_failures = 3
    destination.last_error = "HTTP 500"
    destination.save()

    assert LogEntry.objects.count() == before


def test_it_refuses_an_unknown_object_type(api):
    response = api.get("/api/audit-log/?object_type=user")

    assert response.status_code == 400
    assert "object_type" in response.json()["error"]["fields"]


def test_the_log_only_shows_configuration(api, user):
    user.first_name = "Alice"
    user.save()
    Destination.objects.create(name="d", url="http://127.0.0.1:1/")

    # The token is the `api` fixture's own.
    assert {e["object_type"] for e in entries(api)} == {"destination", "apitoken"}


def test_it_lists_only_the_fields_a_person_set_on_a_create(api, source, destination):
    api.post(
        "/api/routes/",
        {"name": "all", "source": source.pk, "destination": destination.pk, "event_types": ["*"]},
        format="json",
    )

    created = {e["object_type"]: e for e in entries(api) if e["action"] == "create"}

    for kind in ("source", "destination", "route"):
        changes = created[kind]["changes"]
        assert not {"id", "created_at", "outcomes", "routes", "events"} & set(changes), kind
        assert all(before != after for before, after in changes.values()), kind
    assert created["route"]["changes"]["name"] == ["None", "all"]
    assert created["source"]["changes"]["slug"][1] == source.slug


def test_it_hides_internal_fields_of_entries_written_before_the_field_list(api, source):
    entry = LogEntry.objects.get(
        object_pk=str(source.pk), action=LogEntry.Action.CREATE, content_type__model="source"
    )
    entry.changes = {**entry.changes_dict, "id": ["None", "1"], "routes": ["None", "x.None"]}
    entry.save()

    [shown] = [e for e in entries(api, "object_type=source") if e["action"] == "create"]

    assert "id" not in shown["changes"] and "routes" not in shown["changes"]
    assert shown["changes"]["slug"][1] == source.slug


def test_a_changed_secret_still_shows_as_changed_without_its_value(api, destination):
    api.patch(
        f"/api/destinations/{destination.pk}/",
        {"auth_header": "Authorization: Bearer first-one"},
        format="json",
    )
    api.patch(
        f"/api/destinations/{destination.pk}/",
        {"auth_header": "Authorization: Bearer second-one"},
        format="json",
    )

    latest = entries(api, "object_type=destination")[0]

    assert latest["action"] == "update"
    assert latest["changes"] == {"auth_header": ["[hidden]", "[hidden]"]}
