"""The broker unreachable at the moment an event is stored: the sweeper delivers it."""

from __future__ import annotations

import pytest

from apps.core.models import Event, EventStatus, OutcomeStatus
from tests.e2e.conftest import free_port
from tests.faults.checks import Producer, accepted_ids, assert_nothing_lost
from tests.faults.conftest import FAULT_ENV, route_to
from tests.faults.servers import Gunicorn
from tests.sink import Sink

EVENTS = 10


@pytest.fixture
def web_without_broker(gateway, fault_dir):
    """A second web process whose broker URL points at a port nobody listens on, while
    its Redis (idempotency, rate limits) and database are fine."""
    web = Gunicorn(
        fault_dir / "web-without-broker.log",
        {
            **FAULT_ENV,
            "DJANGO_SETTINGS_MODULE": "tests.faults.broker_down_settings",
            "FAULT_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",
        },
    )
    web.start()
    yield web
    web.stop()


def test_an_event_stored_while_the_broker_is_unreachable_is_swept_and_delivered(
    web_without_broker, github_source
):
    sink = Sink()
    producer = Producer(web_without_broker.url, github_source.slug)
    try:
        route_to(github_source, sink.url)
        answers = producer.post_all(range(EVENTS))
        ids = accepted_ids(answers)

        assert len(ids) == EVENTS, [a.body for a in answers]
        assert max(a.seconds for a in answers) < 5, "a dead broker must not hold up ingest"
        # Stored, and not routed by a task (none could be sent) until the sweeper runs.
        assert Event.objects.filter(pk__in=ids).count() == EVENTS

        tally = assert_nothing_lost(ids, [sink])
        assert tally[OutcomeStatus.DELIVERED] == EVENTS
        assert not Event.objects.filter(status=EventStatus.RECEIVED).exists()
    finally:
        producer.close()
        sink.close()
