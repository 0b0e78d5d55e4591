from __future__ import annotations

from standardwebhooks.webhooks import Webhook

from apps.core.models import Destination
from tests.api.conftest import assert_error
from tests.factories import make_destination
from tests.sink import Reply


def test_it_creates_reads_updates_and_deletes_a_destination(api, sink):
    created = api.post(
        "/api/destinations/",
        {"name": "Ops", "url": sink.url, "auth_header": "Authorization: Bearer tok-123456789abc"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert "auth_header" not in body
    assert body["auth_header_set"] is True
    assert body["auth_header_last4"] == "9abc"
    assert body["signing_secret_set"] is False
    assert body["health"] == {
        "consecutive_failures": 0,
        "failing_since": None,
        "disabled_until": None,
        "last_error": "",
        "last_success_at": None,
        "last_failure_at": None,
    }
    assert (body["paused"], body["held_count"], body["disabled_at"]) == (False, 0, None)
    url = f"/api/destinations/{body['id']}/"

    patched = api.patch(url, {"timeout_seconds": 3.5, "auth_header": ""}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["timeout_seconds"] == 3.5
    assert patched.json()["auth_header_set"] is False

    replaced = api.put(url, {"name": "Ops 2", "url": sink.url + "?v=2"}, format="json")
    assert replaced.status_code == 200, replaced.content
    assert api.get(url).json()["url"].endswith("?v=2")

    assert api.delete(url).status_code == 204
    assert not Destination.objects.exists()


def test_it_refuses_to_delete_a_destination_that_routes_use(api, route):
    response = api.delete(f"/api/destinations/{route.destination_id}/")

    error = assert_error(response, 409, "conflict")
    assert route.name in error["message"]


def test_it_names_bad_fields(api):
    response = api.post(
        "/api/destinations/",
        {"name": "", "url": "not a url", "timeout_seconds": 500},
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert {"name", "url", "timeout_seconds"} <= set(error["fields"])


def test_it_refuses_an_auth_header_on_two_lines(api, sink):
    response = api.post(
        "/api/destinations/",
        {"name": "X", "url": sink.url, "auth_header": "X-Key: a\r\nX-Injected: b"},
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert "auth_header" in error["fields"]


def test_it_refuses_a_duplicate_name(api, destination, sink):
    response = api.post(
        "/api/destinations/", {"name": destination.name, "url": sink.url}, format="json"
    )

    assert "name" in assert_error(response, 400, "validation_error")["fields"]


def test_it_creates_then_rotates_the_signing_secret(api, destination):
    url = f"/api/destinations/{destination.pk}/rotate_signing_secret/"

    first = api.post(url, {}, format="json").json()
    assert first["signing_secret"].startswith("whsec_")
    assert first["previous_signing_secret_expires_at"] is None

    second = api.post(url, {"overlap_hours": 1}, format="json").json()
    destination.refresh_from_db()
    assert destination.signing_secret == second["signing_secret"]
    assert destination.previous_signing_secret == first["signing_secret"]
    assert second["previous_signing_secret_expires_at"] is not None
    shown = api.get(f"/api/destinations/{destination.pk}/").json()
    assert shown["signing_secret_set"] is True
    assert shown["signing_secret_last4"] == second["signing_secret"][-4:]


def test_it_sends_a_signed_authenticated_test_event(api, sink):
    destination = make_destination(sink.url, auth_header="X-Api-Key: key-0123456789")
    api.post(f"/api/destinations/{destination.pk}/rotate_signing_secret/", {}, format="json")
    destination.refresh_from_db()

    response = api.post(
        f"/api/destinations/{destination.pk}/test/", {"payload": {"hello": "world"}}, format="json"
    )

    assert response.status_code == 200, response.content
    result = response.json()
    assert result["ok"] is True
    assert result["status_code"] == 200
    assert result["error"] == ""
    assert result["duration_ms"] >= 0
    [received] = sink.requests
    assert received.json() == {"hello": "world"}
    assert received.headers["x-api-key"] == "key-0123456789"
    assert received.headers["content-type"] == "application/json"
    verified = Webhook(destination.signing_secret).verify(received.body, received.headers)
    assert verified == {"hello": "world"}


def test_it_sends_a_sample_event_when_no_payload_is_given(api, destination, sink):
    response = api.post(f"/api/destinations/{destination.pk}/test/", {}, format="json")

    assert response.json()["ok"] is True
    assert sink.requests[0].json()["type"] == "relaycore.test"
    assert "webhook-signature" not in sink.requests[0].headers


def test_it_reports_a_failing_destination(api, destination, sink):
    sink.respond(Reply(status=503, body=b"down for maintenance"))

    result = api.post(f"/api/destinations/{destination.pk}/test/", {}, format="json").json()

    assert result["ok"] is False
    assert result["status_code"] == 503
    assert "down for maintenance" in result["response_body"]
    assert "503" in result["error"]


def test_it_reports_an_unreachable_destination(api):
    destination = make_destination("http://127.0.0.1:9/hook", timeout_seconds=2)

    result = api.post(f"/api/destinations/{destination.pk}/test/", {}, format="json").json()

    assert result["ok"] is False
    assert result["status_code"] is None
    assert result["error"]


def test_it_refuses_a_test_payload_that_is_not_an_object(api, destination):
    response = api.post(
        f"/api/destinations/{destination.pk}/test/", {"payload": [1, 2]}, format="json"
    )

    assert "payload" in assert_error(response, 400, "validation_error")["fields"]


def test_it_filters_and_orders_destinations(api, sink):
    make_destination(sink.url, name="Alpha", is_active=False)
    make_destination(sink.url, name="Beta")

    def names(query: str) -> list[str]:
        return [item["name"] for item in api.get(f"/api/destinations/?{query}").json()["results"]]

    assert names("is_active=false") == ["Alpha"]
    assert names("search=bet") == ["Beta"]
    assert names("ordering=-name") == ["Beta", "Alpha"]
