"""A Celery worker SIGKILLed in the middle of deliveries, then started again."""

from __future__ import annotations

from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.conftest import wait_until
from tests.faults.checks import Producer, assert_nothing_lost, send_accepted
from tests.faults.conftest import route_to
from tests.sink import Reply, Sink

EVENTS = 20


def test_a_worker_killed_mid_delivery_loses_nothing(gateway, github_source, fault_worker):
    sink = Sink()
    sink.default = Reply(delay=1.0)  # slow enough that the kill finds deliveries in flight
    producer = Producer(gateway.url, github_source.slug)
    try:
        route_to(github_source, sink.url, timeout_seconds=2)
        ids = send_accepted(producer, range(EVENTS))
        assert len(ids) == EVENTS
        sink.wait_for(3, timeout=20)
        wait_until(
            lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERING).exists(),
            message="no delivery was in flight",
        )

        fault_worker.kill()
        in_flight = Outcome.objects.filter(status=OutcomeStatus.DELIVERING).count()
        sink.default = Reply()
        fault_worker.start()

        tally = assert_nothing_lost(ids, [sink])
        assert in_flight > 0
        assert tally[OutcomeStatus.DELIVERED] == EVENTS
    finally:
        producer.close()
        sink.close()
