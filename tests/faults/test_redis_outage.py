"""Redis killed and restarted while events pour in."""

from __future__ import annotations

import time

from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.conftest import wait_until
from tests.faults.checks import (
    Producer,
    accepted_ids,
    assert_every_event_accepted_once,
    assert_nothing_lost,
    assert_only_200_or_503,
)
from tests.faults.conftest import route_to
from tests.sink import Reply, Sink

EVENTS = 150


def test_redis_restarted_during_ingest_refuses_with_503_and_loses_nothing(
    gateway, github_source, dedicated_redis, fault_worker
):
    sink = Sink()
    producer = Producer(gateway.url, github_source.slug)
    try:
        route_to(github_source, sink.url)
        sender, answers = producer.in_background(range(EVENTS), pause=0.02)
        wait_until(lambda: len(answers) >= 30, message="ingest did not start")

        # SIGKILL: the AOF may miss its last second (queued tasks, idempotency keys);
        # the database-side safety nets must make up for it.
        dedicated_redis.kill()
        during = len(answers)
        wait_until(lambda: len(answers) >= during + 15, timeout=30, message="no answers")
        time.sleep(1.0)
        dedicated_redis.start()
        sender.join(120)
        assert not sender.is_alive()
        # Should a worker still die on the lost connection, a supervisor (compose's
        # restart policy) starts it again; test_the_worker_survives_a_redis_restart
        # checks that ours does not.
        fault_worker.revive()

        refused = assert_only_200_or_503(answers)
        assert refused > 0, "the outage was not seen: nothing was refused"
        retries = producer.retry_refused(answers)
        assert_every_event_accepted_once(answers + retries)

        tally = assert_nothing_lost(accepted_ids(answers + retries), [sink], timeout=90)
        assert tally[OutcomeStatus.DEAD_LETTERED] == 0
    finally:
        producer.close()
        sink.close()


def test_the_worker_survives_a_redis_restart(gateway, github_source, dedicated_redis, fault_worker):
    sink = Sink()
    sink.default = Reply(delay=3)  # a delivery in flight: its message is unacknowledged
    producer = Producer(gateway.url, github_source.slug)
    try:
        route_to(github_source, sink.url)
        producer.post(0)
        sink.wait_for(1, timeout=20)

        dedicated_redis.kill()
        time.sleep(1.0)
        dedicated_redis.start()
        time.sleep(3.0)

        assert fault_worker.running, "the Celery worker exited when Redis restarted"
        sink.default = Reply()
        producer.post(1)
        wait_until(
            lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == 2,
            timeout=30,
            message="the worker did not deliver after Redis came back",
        )
    finally:
        producer.close()
        sink.close()
