"""The Redis client parses replies in C (hiredis): the Python parser cost a fifth of
ingest's throughput (docs/performance.md)."""

from __future__ import annotations

from redis._parsers.hiredis import _HiredisParser

from apps.core.redis import get_redis


def test_replies_are_parsed_by_hiredis():
    client = get_redis()
    assert client.ping()
    connection = client.connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        client.connection_pool.release(connection)
