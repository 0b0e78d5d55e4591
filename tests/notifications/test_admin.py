"""The admin: channels with write-only secrets and a test action; notifications read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.api.roles import Role, set_role
from apps.notifications.models import Channel, Notification
from tests.notifications.conftest import webhook_channel

pytestmark = pytest.mark.django_db
SLACK = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX"


def browser_of(role: Role) -> Client:
    person = get_user_model().objects.create_user(f"staff-{role.label}", is_staff=True)
    set_role(person, role)
    browser = Client()
    browser.force_login(person)
    return browser


def test_the_change_page_shows_no_secret_nor_slack_token(hooks):
    hook = webhook_channel(hooks.url)
    slack = Channel.objects.create(name="chat", kind="slack", url=SLACK)
    admin = browser_of(Role.ADMIN)

    hook_page = admin.get(f"/admin/notifications/channel/{hook.pk}/change/").content.decode()
    slack_page = admin.get(f"/admin/notifications/channel/{slack.pk}/change/").content.decode()
    listing = admin.get("/admin/notifications/channel/").content.decode()

    assert hook.secret not in hook_page and f"ends in …{hook.secret[-4:]}" in hook_page
    assert "XXXXXXXX" not in slack_page and "XXXXXXXX" not in listing


def test_the_admin_keeps_a_masked_slack_url_and_a_blank_secret(hooks):
    slack = Channel.objects.create(name="chat", kind="slack", url=SLACK)
    admin = browser_of(Role.ADMIN)
    form = {
        "name": "chat renamed",
        "kind": "slack",
        "url": "https://hooks.slack.com/services/T0***",
        "emails": "[]",
        "secret": "",
        "types": "[]",
        "sources": "[]",
        "destinations": "[]",
        "is_active": "on",
    }

    response = admin.post(f"/admin/notifications/channel/{slack.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    slack.refresh_from_db()
    assert (slack.name, slack.url) == ("chat renamed", SLACK)


def test_an_operator_sends_a_test_notification_from_the_admin(hooks):
    channel = webhook_channel(hooks.url)

    browser_of(Role.OPERATOR).post(
        "/admin/notifications/channel/",
        {"action": "send_test_notification", "_selected_action": [channel.pk]},
    )

    [received] = hooks.wait_for(1)
    assert received.json()["type"] == "test"
    assert Notification.objects.get().status == "sent"


def test_a_viewer_reads_channels_and_notifications_but_changes_nothing(hooks):
    channel = webhook_channel(hooks.url)
    viewer = browser_of(Role.VIEWER)

    assert viewer.get("/admin/notifications/channel/").status_code == 200
    assert viewer.get("/admin/notifications/notification/").status_code == 200
    assert viewer.get("/admin/notifications/channel/add/").status_code == 403
    viewer.post(
        "/admin/notifications/channel/",
        {"action": "send_test_notification", "_selected_action": [channel.pk]},
    )
    assert hooks.requests == []
