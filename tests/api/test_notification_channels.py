"""/api/notification-channels/, /api/notifications/ and /api/notification-types/."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from standardwebhooks.webhooks import Webhook

from apps.notifications.models import Channel, Notification
from apps.notifications.types import SUBSCRIBABLE
from tests.api.conftest import assert_error
from tests.api.test_roles import OPERATE, VIEW, client_of
from tests.factories import make_destination

pytestmark = pytest.mark.django_db

SLACK = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX"


def create(api, **fields):
    payload = {"name": "ops", "kind": "webhook", "types": ["destination.failing"], **fields}
    return api.post("/api/notification-channels/", payload, format="json")


def test_a_webhook_channel_answers_its_secret_once(api, sink):
    response = create(api, url=sink.url)

    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    channel_id = response.json()["id"]
    shown = api.get(f"/api/notification-channels/{channel_id}/").json()
    assert "secret" not in shown and shown["secret_set"] is True
    assert secret not in json.dumps(api.get("/api/notification-channels/").json())


def test_the_test_action_sends_a_signed_notice_at_once_and_answers_the_result(api, sink):
    created = create(api, url=sink.url).json()

    response = client_of(OPERATE).post(f"/api/notification-channels/{created['id']}/test/")

    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["type"], answer["status"], answer["attempts"]) == ("test", "sent", 1)
    [received] = sink.requests
    assert Webhook(created["secret"]).verify(received.body, received.headers)["type"] == "test"


def test_the_test_action_answers_a_failure_without_retrying(api):
    created = create(api, url="http://127.0.0.1:9/notify").json()

    answer = api.post(f"/api/notification-channels/{created['id']}/test/").json()

    assert answer["status"] == "failed"
    assert answer["last_error"] == "connection refused"
    channel = api.get(f"/api/notification-channels/{created['id']}/").json()
    assert channel["last_error"] == "connection refused"


def test_rotating_the_secret_answers_the_new_one_once(api, sink):
    created = create(api, url=sink.url).json()

    rotated = api.post(f"/api/notification-channels/{created['id']}/rotate_secret/").json()

    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    assert Channel.objects.get(pk=created["id"]).secret == rotated["secret"]


def test_only_a_webhook_channel_has_a_secret_to_rotate(api):
    created = create(api, kind="email", emails=["ops@example.com"]).json()
    assert created["secret"] is None

    response = api.post(f"/api/notification-channels/{created['id']}/rotate_secret/")

    assert_error(response, 400, "validation_error")


def test_a_slack_url_is_never_answered_and_sending_it_back_keeps_it(api):
    created = create(api, kind="slack", url=SLACK)
    assert created.status_code == 201, created.content
    channel_id = created.json()["id"]

    shown = api.get(f"/api/notification-channels/{channel_id}/").json()
    assert shown["url_masked"] is True and "XXXXXXXX" not in shown["url"]
    assert "XXXXXXXX" not in json.dumps(client_of(VIEW).get("/api/notification-channels/").json())

    api.patch(f"/api/notification-channels/{channel_id}/", {"url": shown["url"]}, format="json")
    assert Channel.objects.get(pk=channel_id).url == SLACK


def test_the_audit_log_never_holds_a_channel_secret(api):
    created = create(api, kind="slack", url=SLACK).json()
    webhook = create(api, name="hook", url="http://127.0.0.1:9/x").json()

    diffs = json.dumps([entry.changes for entry in LogEntry.objects.all()])
    assert "XXXXXXXX" not in diffs and webhook["secret"] not in diffs
    assert LogEntry.objects.filter(object_pk=str(created["id"])).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "http://169.254.169.254/latest"}, "url"),
        ({"url": ""}, "url"),
        ({"kind": "email", "emails": ["not an address"]}, "emails"),
        ({"kind": "email", "emails": []}, "emails"),
        ({"url": "http://127.0.0.1:9/", "types": ["destination.exploded"]}, "types"),
        ({"url": "http://127.0.0.1:9/", "destinations": [999999]}, "destinations"),
        ({"url": "http://127.0.0.1:9/", "sources": [2**64]}, "sources"),
        ({"kind": "pager"}, "kind"),
    ],
)
def test_an_invalid_channel_is_refused_by_field(api, fields, field):
    response = create(api, **fields)

    error = assert_error(response, 400, "validation_error")
    assert field in error["fields"], error


def test_a_name_is_unique_among_live_channels(api, sink):
    first = create(api, url=sink.url).json()
    assert_error(create(api, url=sink.url), 400, "validation_error")

    api.delete(f"/api/notification-channels/{first['id']}/")

    assert create(api, url=sink.url).status_code == 201


def test_notifications_are_listed_newest_first_and_filtered(api, sink):
    destination = make_destination(sink.url, name="billing")
    channel = Channel.objects.create(name="ops", kind="webhook", url=sink.url)
    for type_, subject in [
        ("destination.failing", f"destination:{destination.pk}"),
        ("dead_letters", f"destination:{destination.pk}"),
        ("source.signature_failures", "source:7"),
    ]:
        Notification.objects.create(
            type=type_, subject=subject, channel=channel, channel_name="ops", body={}
        )

    everything = api.get("/api/notifications/").json()["results"]
    assert [n["type"] for n in everything] == [
        "source.signature_failures",
        "dead_letters",
        "destination.failing",
    ]
    by_subject = api.get("/api/notifications/", {"subject": "source:7"}).json()["results"]
    assert [n["type"] for n in by_subject] == ["source.signature_failures"]
    by_type = api.get("/api/notifications/", {"type": "dead_letters"}).json()["results"]
    assert len(by_type) == 1
    assert api.get("/api/notifications/", {"channel": channel.pk + 1}).json()["results"] == []
    one = api.get(f"/api/notifications/{everything[0]['id']}/").json()
    assert one["channel"] == channel.pk and one["channel_name"] == "ops"
    assert_error(api.get("/api/notifications/", {"status": "lost"}), 400, "validation_error")


def test_the_types_are_listed_with_a_description(api):
    listed = api.get("/api/notification-types/").json()["results"]

    assert [t["name"] for t in listed] == list(SUBSCRIBABLE)
    assert all(t["description"] for t in listed)
