"""Accepted event ids reach the broker many per message, none lost, none twice."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
import redis
from django.conf import settings

from apps.core.queue import BatchPublisher, gateway_counter
from relaycore.celery import app

PROBE = "tests.batch_publisher_probe"
PROBE_QUEUE = f"probe-{uuid.uuid4().hex}"


def set_routes(routes: dict) -> None:
    app.conf.task_routes = routes
    # Celery builds its router once; make it read the routes again.
    app.amqp.__dict__.pop("router", None)
    app.amqp._rtable = None


@pytest.fixture
def probe_queue():
    """Route the probe task to a queue of its own that no worker reads."""
    before = app.conf.task_routes
    set_routes({PROBE: {"queue": PROBE_QUEUE}})
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield client, PROBE_QUEUE
    set_routes(before)
    client.delete(PROBE_QUEUE)


def published_batches(client: redis.Redis, queue: str) -> list[list[int]]:
    batches = []
    for raw in client.lrange(queue, 0, -1):
        message = json.loads(raw)
        assert message["headers"]["task"] == PROBE
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        batches.append(args[0])
    return batches


def test_ids_added_at_once_go_out_together_and_all_of_them(probe_queue):
    client, queue = probe_queue
    publisher = BatchPublisher(PROBE, max_batch=50)

    for event_id in range(1, 301):
        publisher.add(event_id)
    assert publisher.flush(timeout=10)

    batches = published_batches(client, queue)
    assert sorted(i for batch in batches for i in batch) == list(range(1, 301))
    assert all(1 <= len(batch) <= 50 for batch in batches)
    assert len(batches) < 300  # batched, not one message per id


def test_a_lone_id_is_sent_without_waiting_for_company(probe_queue):
    client, queue = probe_queue
    publisher = BatchPublisher(PROBE, interval=0.05, batch_above=150)

    publisher.add(7)

    assert publisher.flush(timeout=5)
    assert published_batches(client, queue) == [[7]]
    assert publisher.messages == {"at_once": 1, "after_wait": 0}


def test_a_quiet_process_sends_each_id_at_once_however_long_the_interval(probe_queue):
    client, queue = probe_queue
    # Under 10 ids a minute is quiet: no id may wait for the minute-long window.
    publisher = BatchPublisher(PROBE, interval=60.0, batch_above=10 / 60)

    for event_id in range(1, 6):
        publisher.add(event_id)
        assert publisher.flush(timeout=10)  # far less than the interval

    assert sorted(published_batches(client, queue)) == [[1], [2], [3], [4], [5]]
    assert publisher.messages == {"at_once": 5, "after_wait": 0}


def test_under_load_ids_go_out_in_few_messages_spaced_by_the_interval(probe_queue):
    client, queue = probe_queue
    # Busy above 5 ids in an interval; this stream brings hundreds in each.
    publisher = BatchPublisher(PROBE, interval=0.5, batch_above=10)

    started = time.monotonic()
    for event_id in range(1, 201):
        publisher.add(event_id)
        time.sleep(0.001)
    assert publisher.flush(timeout=5)
    elapsed = time.monotonic() - started

    batches = published_batches(client, queue)
    assert sorted(i for batch in batches for i in batch) == list(range(1, 201))
    assert publisher.messages["after_wait"] >= 1
    # At most the first 6 messages (5 ids and one more) went at once; after that, one
    # message per interval.
    assert publisher.messages["at_once"] <= 6
    assert len(batches) <= 6 + elapsed / 0.5 + 1


def test_after_the_load_a_quiet_spell_sends_at_once_again(probe_queue):
    client, queue = probe_queue
    publisher = BatchPublisher(PROBE, interval=0.2, batch_above=10)  # busy above 2 ids
    for event_id in range(1, 41):
        publisher.add(event_id)
        time.sleep(0.001)
    assert publisher.flush(timeout=5)
    waited = publisher.messages["after_wait"]
    assert waited >= 1

    time.sleep(0.3)  # longer than the interval: nothing sent within it
    publisher.add(41)
    assert publisher.flush(timeout=5)

    assert publisher.messages["after_wait"] == waited
    assert published_batches(client, queue)[0] == [41]  # LPUSH: the newest first


def test_a_burst_the_gateway_counts_as_quiet_goes_out_id_by_id(probe_queue):
    """20 ids within a few ms: a process's own rule calls that busy (more than 7.5 ids in
    50 ms); the gateway's count (20 in its second, under 150) says quiet, as a 100/s
    stream that one process takes whole is."""
    client, queue = probe_queue
    counter = gateway_counter(f"test:published:{uuid.uuid4().hex}")
    publisher = BatchPublisher(PROBE, interval=0.05, batch_above=150, gateway_rate=counter)
    publisher.add(1)
    assert publisher.flush(timeout=5)  # the first message takes the gateway's reading

    for event_id in range(2, 22):
        publisher.add(event_id)
        time.sleep(0.002)
    assert publisher.flush(timeout=5)

    assert publisher.messages["after_wait"] == 0
    assert sorted(i for batch in published_batches(client, queue) for i in batch) == list(
        range(1, 22)
    )


def test_a_quiet_process_batches_while_the_rest_of_the_gateway_is_busy(probe_queue):
    client, queue = probe_queue
    prefix = f"test:published:{uuid.uuid4().hex}"
    counter = gateway_counter(prefix)
    publisher = BatchPublisher(PROBE, interval=0.2, batch_above=150, gateway_rate=counter)
    publisher.add(1)
    assert publisher.flush(timeout=5)

    for event_id in range(2, 12):
        counter(100)  # the other web processes' messages, counted in the same Redis keys
        publisher.add(event_id)
        time.sleep(0.02)  # alone, 50 ids a second: far under its own threshold
    assert publisher.flush(timeout=5)

    assert publisher.messages["after_wait"] >= 1
    assert len(published_batches(client, queue)) < 11


def test_without_the_gateways_count_the_process_own_rate_decides(probe_queue, settings):
    client, queue = probe_queue
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens: the count is unknown
    counter = gateway_counter(f"test:published:{uuid.uuid4().hex}")
    assert counter(1) is None
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert counter(1) is None  # not asked again within the second, even were it back
    publisher = BatchPublisher(PROBE, interval=0.05, batch_above=150, gateway_rate=counter)

    for event_id in range(1, 21):  # more than 7.5 ids in 50 ms: busy by its own rate
        publisher.add(event_id)
        time.sleep(0.002)
    assert publisher.flush(timeout=5)

    assert publisher.messages["after_wait"] >= 1
    assert sorted(i for batch in published_batches(client, queue) for i in batch) == list(
        range(1, 21)
    )
