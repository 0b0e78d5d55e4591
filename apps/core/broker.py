"""Celery's Redis transport, keeping one Redis client per channel.

kombu's Redis channel builds a new `redis.Redis` for every publish, every
acknowledgement and every message it takes into its unacked set (`conn_or_acquire`).
The connection comes from the channel's pool either way; what each build costs is the
client itself, about 60 us of Python for its table of response callbacks, twice or three
times per task message. Measured with py-spy at 100 events/s that was 8 % of a worker's
GIL time (docs/performance.md, "Latency at 100 events/s, fourth pass").

A `redis.Redis` over a connection pool is safe to share between threads (each command
takes a connection from the pool and gives it back; a pipeline is a new object per
call), so a channel keeps the one it built for as long as its pool lives. The
asynchronous client of the consumer's BRPOP loop is kombu's own and is left alone.
"""

from __future__ import annotations

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _shared_client = None

    def _create_client(self, asynchronous: bool = False):
        if asynchronous:
            return super()._create_client(asynchronous=True)
        pool = self.pool
        client = self._shared_client
        # kombu drops the pool when the connection is lost or the process forks; the
        # client of an old pool would reconnect through that dead pool.
        if client is None or client.connection_pool is not pool:
            client = self._shared_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
