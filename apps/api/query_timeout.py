"""A time bound on the free-text event search, the one query a user can make slow.

`?search=` scans payload text with ILIKE/LIKE over however many events are stored; on a
large table one request could hold a database connection (and a web thread) for
minutes. Inside `bounded_search()`:

- PostgreSQL: `SET LOCAL statement_timeout` in a transaction of its own, so the bound
  ends with it and never leaks to other queries of the pooled connection;
- SQLite: a progress handler that aborts the statement past the deadline (no
  transaction: the embedded profile's transactions are IMMEDIATE and would take the
  write lock that ingest needs).

Either way the query is cancelled and the request answers 503 `search_timeout`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from rest_framework import exceptions, status

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by the timeout
SQLITE_STEPS = 10_000  # virtual-machine steps between two looks at the clock


class SearchTimeout(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "search_timeout"
    default_detail = "The search took too long and was stopped."


def _timed_out_message(ms: int) -> str:
    return (
        f"The search took longer than {ms} ms and was stopped: narrow it down with a "
        "source, a status or a time range (received_after, received_before)."
    )


def _was_cancelled(exc: OperationalError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == QUERY_CANCELED:
        return True
    return connection.vendor == "sqlite" and "interrupted" in str(exc)


@contextmanager
def bounded_search(ms: int | None = None) -> Iterator[None]:
    """Run the queries of the block under SEARCH_TIMEOUT_MS; SearchTimeout past it."""
    ms = ms or settings.SEARCH_TIMEOUT_MS
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [int(ms)])
                yield
        elif connection.vendor == "sqlite":
            with _sqlite_deadline(ms):
                yield
        else:
            yield
    except OperationalError as exc:
        if _was_cancelled(exc):
            raise SearchTimeout(_timed_out_message(ms)) from None
        raise


@contextmanager
def _sqlite_deadline(ms: int) -> Iterator[None]:
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + ms / 1000
    # A non-zero answer makes SQLite abort the statement ("interrupted").
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), SQLITE_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, SQLITE_STEPS)
