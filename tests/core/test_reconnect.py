"""A connection the database dropped is replaced once, on PostgreSQL (where the web tier
runs without per-request health checks); a real error is still raised."""

from __future__ import annotations

import psycopg
import pytest
from django.db import OperationalError, connection

from apps.core.reconnect import once_more_if_dropped

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL restarts"),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def drop_this_threads_connection() -> None:
    """What a database restart does to a kept connection: the server ends it."""
    pid = backend_pid()
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_dropped_connection_fails_the_statement_without_the_retry():
    drop_this_threads_connection()
    with pytest.raises(OperationalError):
        backend_pid()
    connection.close()


def test_a_dropped_connection_is_replaced_and_the_statement_runs():
    before = backend_pid()
    drop_this_threads_connection()

    after = once_more_if_dropped(backend_pid)

    assert after != before


def test_an_error_on_a_healthy_connection_is_not_retried():
    calls = []

    def slow() -> None:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 50")
            try:
                cursor.execute("SELECT pg_sleep(1)")
            finally:
                cursor.execute("SET statement_timeout = 0")

    with pytest.raises(OperationalError):
        once_more_if_dropped(slow)
    assert calls == [1]
