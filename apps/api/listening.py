"""What `relaycore listen` follows: a source's accepted events after a cursor.

The cursor is an event id. A listener asks for the events of one source with an id
above it, oldest first, and gets a bounded batch and the next cursor; it never gets
events refused at ingest (`sig_failed`, `duplicate`) or emptied by retention.

Two things keep it honest and cheap:

- **Nothing skipped.** On PostgreSQL ids come from a sequence and can commit out of
  order: the INSERT that drew id 10 may commit after the one that drew id 11. A listener
  that read 11 and moved its cursor there would never see 10. So an event is served
  only once it is LISTEN_SETTLE_SECONDS old, and a batch stops at the first event that
  is not: every ingest INSERT is one short autocommitted statement, so by then any lower
  id has committed or never will. SQLite has one writer at a time, so its ids commit in
  order and need no settling (the default there is 0).
- **No web thread held for long.** gunicorn has few threads (WEB_CONCURRENCY x
  WEB_THREADS, 16 by default). An empty poll may wait for news up to
  LISTEN_WAIT_SECONDS, but only while it holds one of LISTEN_WAIT_SLOTS slots of its
  process; the other polls answer at once and ask the client to come back after
  LISTEN_POLL_SECONDS. So however many listeners are connected, at most that many
  threads per process sleep, and the rest serve ingest and the API. What each poll
  still costs is CPU, so an idle one is kept to one index probe
  (storage.has_event_after): the cursor moves past refused events and unwanted types
  too, and the view skips what a browser needs (apps/api/views/listen.py).
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from apps.core import storage
from apps.core.models import Event, EventStatus, Source

REDACTED = "[redacted]"
REFUSED = (EventStatus.SIG_FAILED, EventStatus.DUPLICATE)
# How often a waiting poll looks again: one index probe each time.
RECHECK_SECONDS = 0.1
# Bodies are read this many events at a time, so a batch stops near its byte bound
# without reading a hundred large bodies first.
CONTENT_CHUNK = 10

_wait_slots = threading.BoundedSemaphore(settings.LISTEN_WAIT_SLOTS)  # 0: never wait


@dataclass(frozen=True)
class Batch:
    events: list[dict]
    cursor: int
    more: bool  # a full batch: ask again at once
    waited: bool  # this poll waited for news, so the client need not pause


def start_cursor(source: Source, since: datetime | None) -> int:
    """Where a new listener starts: now (the newest id), or before the first event of
    the source received at or after `since`."""
    if since is None:
        return Event.objects.aggregate(top=Max("id"))["top"] or 0
    first = (
        Event.objects.filter(source=source, received_at__gte=since)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if first is None:
        return start_cursor(source, None)
    return first - 1


def read_batch(
    source: Source, after: int, event_types: list[str], limit: int, now: datetime | None = None
) -> tuple[list[dict], int, bool]:
    """The settled events after `after` (at most `limit`, and about
    LISTEN_MAX_BATCH_BYTES of bodies), the next cursor, and whether more are waiting.

    The cursor moves past refused events, other event types and purged ones too, so an
    idle listener's next poll is one index probe (storage.has_event_after)."""
    if not storage.has_event_after(source.pk, after):
        return [], after, False
    settled_before = (now or timezone.now()) - timedelta(seconds=settings.LISTEN_SETTLE_SECONDS)
    rows = list(
        Event.objects.filter(source=source, id__gt=after)
        .order_by("id")
        .values_list("id", "received_at", "status", "event_type", "purged_at")[:limit]
    )
    wanted, cursor, more = [], after, len(rows) == limit
    for event_id, received_at, status, event_type, purged_at in rows:
        if received_at > settled_before:
            more = False  # not settled: a lower id may still commit
            break
        cursor = event_id
        if status in REFUSED or purged_at is not None:
            continue  # never delivered, or its content is gone
        if event_types and event_type not in event_types:
            continue
        wanted.append(event_id)
    events, size = [], 0
    for start in range(0, len(wanted), CONTENT_CHUNK):
        for row in contents(wanted[start : start + CONTENT_CHUNK]):
            events.append(shown(row))
            size += len(row["body"])
            if size >= settings.LISTEN_MAX_BATCH_BYTES and row["id"] != wanted[-1]:
                return events, row["id"], True
    return events, cursor, more


def contents(ids: list[int]) -> list[dict]:
    rows = Event.objects.filter(id__in=ids).order_by("id")
    return list(
        rows.values(
            "id", "received_at", "event_type", "headers", "body", "content_type", "query_string"
        )
    )


def shown(row: dict) -> dict:
    body = bytes(row["body"])
    # Headers that carried a secret were never stored: there is nothing to replay.
    headers = {name: value for name, value in row["headers"].items() if value != REDACTED}
    return {
        "id": row["id"],
        "received_at": row["received_at"],
        "event_type": row["event_type"],
        "method": "POST",  # the only method ingest accepts
        "query_string": row["query_string"],
        "content_type": row["content_type"],
        "headers": headers,
        "body_base64": base64.b64encode(body).decode("ascii"),
    }


def poll(source: Source, after: int, event_types: list[str], limit: int, wait: float) -> Batch:
    """One listener poll: at once when events are there; else wait up to `wait`
    seconds if a wait slot of this process is free, else answer empty at once."""
    events, cursor, more = read_batch(source, after, event_types, limit)
    if events or more or wait <= 0 or not _wait_slots.acquire(blocking=False):
        return Batch(events, cursor, more, waited=False)
    try:
        deadline = time.monotonic() + min(wait, settings.LISTEN_WAIT_SECONDS)
        while not events and time.monotonic() < deadline:
            time.sleep(min(RECHECK_SECONDS, max(0.0, deadline - time.monotonic())))
            events, cursor, more = read_batch(source, cursor, event_types, limit)
    finally:
        _wait_slots.release()
    return Batch(events, cursor, more, waited=True)
