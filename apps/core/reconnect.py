"""One retry on a fresh connection when the database dropped the one a thread held.

Webhook requests do not spend a SELECT 1 each checking their connection
(apps/ingestion/middleware.py). After a database restart or failover, the first ingest
query of each web thread then fails on a dead connection. `once_more_if_dropped` tells
that case from a real error by asking the connection (only then, so it costs nothing on
the hot path), and runs the statement again on a new one. A statement cut off after the
server ran it could run twice: for the event INSERT that means, rarely, one more
delivery, which at-least-once delivery allows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

T = TypeVar("T")


def once_more_if_dropped(run: Callable[[], T]) -> T:
    try:
        return run()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block or connection.is_usable():
            raise  # a transaction to give back to its owner, or a real error
        connection.close()
        return run()
