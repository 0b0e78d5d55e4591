"""What the stream reads from the database: plain sync functions, run in a thread.

The rules are the long poll's (apps/api/listening.py): refused and purged events are
never sent, and on PostgreSQL an event is read only once LISTEN_SETTLE_SECONDS old, so a
lower id that commits late is never skipped. Every event is framed here, once, as the
server-sent event every subscriber of its source receives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from apps.api.listening import CONTENT_CHUNK, REFUSED, contents, shown
from apps.core.models import Event


@dataclass(frozen=True)
class Framed:
    source_id: int
    id: int
    event_type: str
    frame: bytes  # `id:`, `event:` and `data:` lines, ready to write


def frame(event: dict) -> bytes:
    # The long poll's JSON, as DRF renders it (compact, datetimes as its encoder writes
    # them). json.dumps escapes line breaks, so the data stays on one line.
    data = json.dumps(event, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['id']}\nevent: event\ndata: {data}\n\n".encode()


def settled_head() -> int:
    """An id at or below which every event has committed: where a source's feed starts.
    On PostgreSQL the newest event old enough to be settled; on SQLite the newest."""
    events = Event.objects.order_by("-id")
    if settings.LISTEN_SETTLE_SECONDS > 0:
        cut = timezone.now() - timedelta(seconds=settings.LISTEN_SETTLE_SECONDS)
        events = events.filter(received_at__lte=cut)
    return events.values_list("id", flat=True).first() or 0


def _framed(source_ids: dict[int, int], ids: list[int]) -> list[Framed]:
    """The contents of these events, framed, about LISTEN_MAX_BATCH_BYTES of bodies at
    most (the caller reads on from the last one)."""
    found, size = [], 0
    for start in range(0, len(ids), CONTENT_CHUNK):
        for row in contents(ids[start : start + CONTENT_CHUNK]):
            found.append(
                Framed(source_ids[row["id"]], row["id"], row["event_type"], frame(shown(row)))
            )
            size += len(row["body"])
            if size >= settings.LISTEN_MAX_BATCH_BYTES:
                return found
    return found


def read_range(source_id: int, after: int, upto: int, limit: int) -> tuple[list[Framed], int]:
    """A catch-up: the source's events with after < id <= upto (all committed: the feed
    passed them), and how far that read got (upto once nothing is left)."""
    rows = list(
        Event.objects.filter(source_id=source_id, id__gt=after, id__lte=upto)
        .order_by("id")
        .values_list("id", "status", "purged_at")[:limit]
    )
    wanted = [i for i, status, purged_at in rows if status not in REFUSED and purged_at is None]
    found = _framed(dict.fromkeys(wanted, source_id), wanted)
    if len(found) < len(wanted):
        return found, found[-1].id  # cut by the byte bound
    return found, rows[-1][0] if len(rows) == limit else upto


def read_new(cursors: dict[int, int], limit: int) -> tuple[list[Framed], int | None, bool]:
    """One tick of the feed: the settled events of these sources above each one's
    cursor, oldest first; the id every cursor may move to (None: nothing read); and
    whether more are waiting. The cursor moves past refused and purged events too, so
    an idle tick is one probe of the (source_id, id) index."""
    if not cursors:
        return [], None, False
    settled_before = timezone.now() - timedelta(seconds=settings.LISTEN_SETTLE_SECONDS)
    rows = list(
        Event.objects.filter(source_id__in=list(cursors), id__gt=min(cursors.values()))
        .order_by("id")
        .values_list("id", "source_id", "received_at", "status", "purged_at")[:limit]
    )
    reached, more = None, len(rows) == limit
    wanted: dict[int, int] = {}
    for event_id, source_id, received_at, status, purged_at in rows:
        if received_at > settled_before:
            more = False  # not settled: a lower id may still commit
            break
        reached = event_id
        if event_id <= cursors[source_id] or status in REFUSED or purged_at is not None:
            continue
        wanted[event_id] = source_id
    found = _framed(wanted, list(wanted))
    if len(found) < len(wanted):
        return found, found[-1].id, True  # cut by the byte bound
    return found, reached, more
