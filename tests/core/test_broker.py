"""Celery's broker channel keeps one Redis client, and every message still arrives and is
acknowledged, from many threads at once, against the real Redis."""

from __future__ import annotations

import threading
import uuid

import pytest
import redis
from django.conf import settings

from apps.core.broker import Channel
from relaycore.celery import app


@pytest.fixture
def queue_name():
    name = f"broker-probe-{uuid.uuid4().hex}"
    yield name
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(name)


def test_celery_uses_the_channel_that_keeps_its_client():
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, Channel)
        assert channel._create_client() is channel._create_client()
        # The consumer's BRPOP loop has its own asynchronous client, as in kombu.
        assert channel._create_client(asynchronous=True) is not channel._create_client()


def test_a_channel_whose_pool_was_dropped_builds_a_client_on_the_new_pool(queue_name):
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        before = channel._create_client()
        channel._disconnect_pools()  # what kombu does when the connection is lost
        after = channel._create_client()
        assert after is not before
        assert after.connection_pool is channel.pool
        after.lpush(queue_name, "still works")
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(queue_name) == 1


def test_messages_sent_from_many_threads_all_arrive_once_and_are_acknowledged(queue_name):
    sent = [f"{n}" for n in range(200)]

    def send(part: list[str]) -> None:
        with app.producer_or_acquire() as producer:
            for body in part:
                producer.publish(body, routing_key=queue_name, declare=[], serializer="json")

    threads = [threading.Thread(target=send, args=(sent[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    received: list[str] = []
    held_while_unacked: list[bool] = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(queue_name)
        channel = queue.channel
        client = channel._create_client()
        tags = []
        for _ in sent:
            message = queue.get(timeout=5)
            received.append(message.payload)
            # Taken but not yet acknowledged: kept in the unacked set, to be restored if
            # this consumer died now. Other tests' messages may share that set.
            held_while_unacked.append(client.hexists(channel.unacked_key, message.delivery_tag))
            tags.append(message.delivery_tag)
            message.ack()
        still_unacked = [tag for tag in tags if client.hexists(channel.unacked_key, tag)]
        queue.close()
    assert sorted(received, key=int) == sent
    assert all(held_while_unacked)
    assert still_unacked == []


def test_fifty_publishes_on_one_connection_build_one_redis_client(monkeypatch, queue_name):
    # Counts the clients built, whoever builds them: a kombu that stopped calling the
    # method apps.core.broker overrides would build one per publish again.
    built = []
    build = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        built.append(self)
        build(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    with app.connection_for_write() as connection:
        producer = connection.Producer()
        for n in range(50):
            producer.publish(str(n), routing_key=queue_name, declare=[], serializer="json")
    monkeypatch.undo()

    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(queue_name) == 50
    assert len(built) <= 2
