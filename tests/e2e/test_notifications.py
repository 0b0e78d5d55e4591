"""End to end: a destination failing under a real worker and Beat is told, once, to a
webhook channel, signed so that the standardwebhooks library verifies it."""

from __future__ import annotations

import json
import time

import pytest
from standardwebhooks.webhooks import Webhook

from apps.core.models import Outcome, OutcomeStatus
from apps.notifications.models import Notification
from tests.e2e.conftest import wait_until
from tests.e2e.test_pipeline import SECRET, send
from tests.factories import make_destination, make_route, make_source
from tests.notifications.conftest import webhook_channel
from tests.sink import Reply, Sink

pytestmark = pytest.mark.e2e


def test_a_failing_destination_is_notified_once_by_the_worker(client, worker, sink):
    hooks = Sink()
    try:
        channel = webhook_channel(hooks.url, types=["destination.failing"])
        sink.default = Reply(status=500)
        source = make_source(slug="gh", verification_scheme="github", secret=SECRET)
        make_route(source, make_destination(sink.url, name="billing"))

        for n in range(2):
            assert send(client, "gh", {"n": n}).status_code == 200

        [received] = hooks.wait_for(1, timeout=40)
        notice = Webhook(channel.secret).verify(received.body, received.headers)
        assert notice["type"] == "destination.failing"
        assert notice["subject"]["name"] == "billing"
        wait_until(
            lambda: Notification.objects.filter(status="sent").exists(),
            message="the notification was not recorded as sent",
        )
        wait_until(
            lambda: Outcome.objects.filter(status=OutcomeStatus.DEAD_LETTERED).count() == 2,
            timeout=30,
            message="the events were not dead-lettered",
        )
        time.sleep(2)  # two more Beat evaluations: still one notice
        assert len(hooks.requests) == 1
        assert json.loads(received.body)["data"]["consecutive_failures"] >= 5
    finally:
        hooks.close()
