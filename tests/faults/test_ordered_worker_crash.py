"""A Celery worker SIGKILLed while it delivers an ordered key: after the restart the key's
events still arrive in receipt order, none overtaking the one that was in flight."""

from __future__ import annotations

from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.conftest import wait_until
from tests.faults.checks import Producer, assert_nothing_lost, send_accepted
from tests.faults.conftest import route_to
from tests.sink import Reply, Sink

EVENTS = 8


def test_a_worker_killed_mid_key_keeps_the_keys_order(gateway, github_source, fault_worker):
    sink = Sink()
    sink.default = Reply(delay=0.5)  # slow enough that the kill finds one in flight
    producer = Producer(gateway.url, github_source.slug)
    try:
        route = route_to(github_source, sink.url, timeout_seconds=2)
        route.ordering_key = "$.run"  # every event of this run: one key
        route.save()
        ids = send_accepted(producer, range(EVENTS))
        assert len(ids) == EVENTS
        sink.wait_for(2, timeout=20)
        wait_until(
            lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERING).exists(),
            message="no delivery was in flight",
        )
        assert Outcome.objects.filter(status=OutcomeStatus.DELIVERING).count() == 1

        fault_worker.kill()
        assert Outcome.objects.filter(status=OutcomeStatus.WAITING).exists()
        sink.default = Reply()
        fault_worker.start()

        tally = assert_nothing_lost(ids, [sink])
        assert tally[OutcomeStatus.DELIVERED] == EVENTS
        seen = [request.json()["n"] for request in sink.requests]
        # The one in flight may arrive twice (at least once); nothing arrives out of turn.
        in_turn = [n for i, n in enumerate(seen) if i == 0 or seen[i - 1] != n]
        assert in_turn == list(range(EVENTS))
    finally:
        producer.close()
        sink.close()
