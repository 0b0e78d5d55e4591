"""A source's event_type_path runs inside the ingest request: its regexes are RE2's."""

from __future__ import annotations

import json
import time

import pytest

from apps.core.models import Event
from tests.factories import make_source

# If the engine were re again, the request would hang: the thread method ends the run.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(30, method="thread")]

PATH = '$.events[?(@.name =~ "^(a+)+$")].type'


def test_a_catastrophic_filter_in_event_type_path_does_not_stall_ingest(client):
    make_source(slug="evil", event_type_header="", event_type_path=PATH)
    body = {"events": [{"name": "a" * 48 + "!", "type": "never"}, {"name": "aa", "type": "ok"}]}

    started = time.monotonic()
    response = client.post(
        "/webhooks/receive/evil/", data=json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 200
    assert time.monotonic() - started < 2
    assert Event.objects.get().event_type == "ok"
