"""Sending notifications to real servers on 127.0.0.1: a webhook receiver verified with
the standardwebhooks library, a Slack-like receiver, an SMTP server; and a broken channel."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from apps.notifications import sending
from apps.notifications.evaluate import evaluate
from apps.notifications.models import Channel, Notification
from tests.notifications.conftest import bodies, webhook_channel
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_webhook_notification_verifies_with_standardwebhooks(pipe, hooks):
    channel = webhook_channel(hooks.url)
    pipe.deliver(5, status=500)
    evaluate()

    assert sending.send_due() == 1

    [received] = hooks.requests
    verified = Webhook(channel.secret).verify(received.body, received.headers)
    assert verified["type"] == "destination.failing"
    assert set(verified) == {"type", "id", "occurred_at", "subject", "summary", "links", "data"}
    assert received.headers["webhook-id"] == verified["id"]
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert notification.sent_at is not None
    channel.refresh_from_db()
    assert channel.last_success_at is not None and channel.last_error == ""


def test_a_slack_notification_is_a_readable_message_with_links(pipe, hooks):
    Channel.objects.create(name="slack", kind="slack", url=hooks.url)
    pipe.deliver(5, status=500)
    evaluate()

    sending.send_due()

    [message] = bodies(hooks)
    assert message["text"] == "Destination billing is failing: 5 consecutive failures."
    assert [block["type"] for block in message["blocks"]] == ["header", "section", "context"]
    assert "http://127.0.0.1:8000/destinations" in message["blocks"][2]["elements"][0]["text"]


def test_an_email_notification_reaches_the_smtp_server(pipe, smtp):
    Channel.objects.create(
        name="on-call", kind="email", emails=["oncall@example.com", "lead@example.com"]
    )
    pipe.deliver(5, status=500)
    evaluate()

    sending.send_due()

    [(sender, recipients, raw)] = smtp.wait_for(1)
    assert sender == "relaycore@example.com"
    assert recipients == ["oncall@example.com", "lead@example.com"]
    assert "Subject: [RelayCore] Destination billing is failing" in raw
    assert "dashboard: http://127.0.0.1:8000/destinations" in raw
    assert Notification.objects.get().status == "sent"


def test_an_email_channel_whose_server_is_away_retries(pipe, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    Channel.objects.create(name="on-call", kind="email", emails=["oncall@example.com"])
    pipe.deliver(5, status=500)
    evaluate()

    sending.send_due()

    notification = Notification.objects.get()
    assert notification.status == "retrying"
    assert "SMTP failed" in notification.last_error


def send_until_settled(timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(status__in=["pending", "retrying"]).exists():
            return
        sending.send_due()
        time.sleep(0.02)
    raise AssertionError("notifications still waiting")


def test_a_failing_channel_retries_with_backoff_ends_failed_and_blocks_nothing(
    pipe, hooks, sink, settings
):
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 0.2  # retries 0.2, 0.4, 0.8 s (+-20 %) apart
    broken = webhook_channel(hooks.url, name="broken")
    hooks.default = Reply(status=500)
    working = Channel.objects.create(name="slack", kind="slack", url=sink.url)
    pipe.deliver(5, status=500)
    evaluate()

    send_until_settled()

    failed = Notification.objects.get(channel=broken)
    assert (failed.status, failed.attempts) == ("failed", settings.DELIVERY_MAX_ATTEMPTS)
    assert failed.last_error == "HTTP 500 Internal Server Error"
    gaps = [b.at - a.at for a, b in zip(hooks.requests, hooks.requests[1:], strict=False)]
    assert len(hooks.requests) == settings.DELIVERY_MAX_ATTEMPTS
    assert gaps == sorted(gaps)  # later retries wait longer
    assert Notification.objects.get(channel=working).status == "sent"
    assert pipe.deliver(2, status=200) == ["delivered", "delivered"]

    admin = get_user_model().objects.create_superuser("root")
    api = APIClient()
    api.force_authenticate(admin)
    listed = api.get("/api/notifications/", {"status": "failed"}).json()["results"]
    assert [n["id"] for n in listed] == [failed.pk]
    assert listed[0]["last_error"] == "HTTP 500 Internal Server Error"
    shown = api.get(f"/api/notification-channels/{broken.pk}/").json()
    assert shown["last_error"] == "HTTP 500 Internal Server Error"
    assert shown["last_success_at"] is None


def test_a_deleted_channel_sends_nothing_more(pipe, hooks):
    channel = webhook_channel(hooks.url)
    pipe.deliver(5, status=500)
    evaluate()

    channel.delete()
    sending.send_due()

    assert hooks.requests == []
    notification = Notification.objects.get()
    assert (notification.status, notification.last_error) == ("failed", "its channel was deleted")
