"""Accepted event ids reach the broker many per message, none lost, none twice."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
import redis
from django.conf import settings

from apps.core.queue import BatchPublisher
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
    publisher = BatchPublisher(PROBE)

    publisher.add(7)

    assert publisher.flush(timeout=5)
    assert published_batches(client, queue) == [[7]]


def test_a_steady_stream_goes_out_in_few_messages_spaced_by_the_interval(probe_queue):
    client, queue = probe_queue
    publisher = BatchPublisher(PROBE, linger=0.001, interval=0.1)

    started = time.monotonic()
    for event_id in range(1, 101):  # one id every 5 ms for half a second
        publisher.add(event_id)
        time.sleep(0.005)
    assert publisher.flush(timeout=5)
    elapsed = time.monotonic() - started

    batches = published_batches(client, queue)
    assert sorted(i for batch in batches for i in batch) == list(range(1, 101))
    # One message per interval at most (plus the first), not one per linger.
    assert len(batches) <= elapsed / 0.1 + 2
    assert len(batches) < 20


def test_after_a_quiet_spell_an_id_waits_only_the_linger(probe_queue):
    client, queue = probe_queue
    publisher = BatchPublisher(PROBE, linger=0.001, interval=0.2)
    publisher.add(1)
    assert publisher.flush(timeout=5)
    time.sleep(0.3)  # longer than the interval

    started = time.monotonic()
    publisher.add(2)
    assert publisher.flush(timeout=5)

    assert time.monotonic() - started < 0.15
    assert sorted(published_batches(client, queue)) == [[1], [2]]
