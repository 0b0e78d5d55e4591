"""Retention: empty the content of events older than RETENTION_DAYS.

"Purging" an event clears what it carried (raw body, headers, parsed payload) and what
its attempts kept of it (the request's headers and body, the answer's); the rows stay,
with their source, times, event type, status, outcomes and attempt metadata, so counts,
the dashboard's history and MetricPoints are unchanged. An event is left alone while
it still has work to do: not yet routed, or an outcome pending, retrying or being
delivered.

The work goes in small batches, each its own short transaction (an UPDATE of at most
RETENTION_BATCH_SIZE rows by primary key), with a pause between batches (at least
RETENTION_PAUSE_SECONDS and RETENTION_REST_RATIO times the batch's own time) and at most
RETENTION_MAX_BATCHES per run, so ingest never waits long for a lock. A run that stops
at the limit leaves the rest for the next Beat tick.

Rows already purged carry purged_at and are skipped; each finished run remembers in
Redis how far it got (its cutoff, or the oldest event it had to skip), so the next one
scans only the events that crossed the line since, less an overlap for late commits.
Without that mark (Redis flushed or down) a run simply scans from the oldest event.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from apps.core.logs import log_event
from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
)
from apps.core.redis import get_redis

logger = logging.getLogger(__name__)

MARK_KEY = "rc:retention:purged-before"
# Events are stamped before their transaction commits: rescan this far behind the mark.
MARK_OVERLAP = timedelta(hours=1)
# A held outcome is unfinished: its event is kept until it is delivered or given up.
UNFINISHED = (
    OutcomeStatus.PENDING,
    OutcomeStatus.RETRYING,
    OutcomeStatus.DELIVERING,
    OutcomeStatus.HELD,
    OutcomeStatus.WAITING,
)
NOT_PURGED = Q(purged_at__isnull=True)


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    batches: int
    finished: bool  # False: the run hit RETENTION_MAX_BATCHES; the next one goes on


def cutoff(now: datetime | None = None) -> datetime | None:
    """Events received before this are purged; None while retention is off (0 days)."""
    if settings.RETENTION_DAYS <= 0:
        return None
    return (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)


def purgeable(before: datetime, since: datetime | None = None) -> QuerySet[Event]:
    events = Event.objects.filter(NOT_PURGED, received_at__lt=before)
    if since is not None:
        events = events.filter(received_at__gte=since)
    return events.exclude(status=EventStatus.RECEIVED).exclude(outcomes__status__in=UNFINISHED)


@dataclass(frozen=True)
class Position:
    """The last event a batch took: the next batch starts after it."""

    received_at: datetime
    pk: int


def _after(events: QuerySet[Event], position: Position | None) -> QuerySet[Event]:
    if position is None:
        return events
    return events.filter(received_at__gte=position.received_at).exclude(
        received_at=position.received_at, pk__lte=position.pk
    )


def purge_batch(
    before: datetime, since: datetime | None, size: int, after: Position | None = None
) -> tuple[int, Position | None]:
    """Empty the content of up to `size` events after `after`; answers how many were
    emptied and where the batch ended (None: nothing left). Each batch starts where the
    previous one ended: from the oldest event, each batch walked again over every event
    the run had purged (purged_at is not in the index), so a run grew quadratic."""
    rows = list(
        _after(purgeable(before, since), after)
        .order_by("received_at", "pk")
        .values_list("pk", "received_at")[:size]
    )
    if not rows:
        return 0, None
    ids = [pk for pk, _ in rows]
    with transaction.atomic():
        compress_wal()
        # The same conditions again, in the UPDATE: a replay that started since the
        # SELECT keeps its event's content. .update() skips the model's immutability
        # guard in save(), on purpose: retention is the one sanctioned rewrite.
        batch = purgeable(before, since).filter(pk__in=ids)
        purged = batch.update(body=b"", headers={}, payload=None, purged_at=timezone.now())
        # The attempts carried the event too: the request as sent (its body was shaped
        # from the payload) and the answer. Their method, URL and sizes stay.
        Attempt.objects.filter(outcome__event_id__in=ids).update(
            request_headers={}, request_body="", response_headers={}, response_body=""
        )
    last_pk, last_at = rows[-1]
    return purged, Position(last_at, last_pk) if len(rows) == size else None


# None until the first batch has tried; False once the server refused (a role that may
# not set wal_compression, a build without lz4): not tried again in this process.
_may_compress_wal: bool | None = None


def compress_wal() -> None:
    """Within the batch's transaction: its WAL's full-page images compressed with lz4.

    The purge rewrites old rows on pages that no checkpoint since has seen written, so
    each page it touches goes into the WAL whole, and those images were most of the
    purge's WAL (about 6 KB per event emptied), which ingest's commits then queue
    behind. lz4 halves it for no CPU that a batch's time shows. Left as it is where the
    server compresses already (wal_compression not off) or where RETENTION_COMPRESS_WAL
    is false. A replica must have lz4 too to replay it (PostgreSQL's packages do)."""
    global _may_compress_wal
    if (
        not settings.RETENTION_COMPRESS_WAL
        or connection.vendor != "postgresql"
        or _may_compress_wal is False
    ):
        return
    statement = (
        "SELECT set_config('wal_compression', 'lz4', true) "
        "WHERE current_setting('wal_compression') = 'off'"
    )
    if _may_compress_wal:
        with connection.cursor() as cursor:
            cursor.execute(statement)
        return
    try:
        # A savepoint the first time only: a refusal must not end the batch's transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError as exc:
        _may_compress_wal = False
        log_event(logger, "retention.wal_compression.refused", error=str(exc).strip())
        return
    _may_compress_wal = True


def rest_after(worked: float) -> float:
    """The pause after a batch that took `worked` seconds: a fixed pause alone let the
    purger work most of the time on a slow database and take a core from ingest (80 %
    kept at 5 million events); resting in proportion holds it to a share of the time
    (a tenth with RETENTION_REST_RATIO=9) however long its batches take."""
    return max(settings.RETENTION_PAUSE_SECONDS, worked * settings.RETENTION_REST_RATIO)


def oldest_unfinished(before: datetime) -> datetime | None:
    """The oldest event before the cutoff that was skipped for its unfinished work: the
    mark must not pass it, or it would never be purged once its work is done."""
    unrouted = Event.objects.filter(status=EventStatus.RECEIVED, received_at__lt=before)
    waiting = Outcome.objects.filter(status__in=UNFINISHED, event__received_at__lt=before)
    found = [
        unrouted.aggregate(oldest=Min("received_at"))["oldest"],
        waiting.aggregate(oldest=Min("event__received_at"))["oldest"],
    ]
    return min((when for when in found if when is not None), default=None)


def purge_old_payloads(now: datetime | None = None) -> PurgeResult:
    before = cutoff(now)
    if before is None:
        return PurgeResult(purged=0, batches=0, finished=True)
    since = _read_mark()
    total = batches = 0
    finished = False
    position = None
    while batches < settings.RETENTION_MAX_BATCHES:
        began = time.monotonic()
        count, position = purge_batch(before, since, settings.RETENTION_BATCH_SIZE, position)
        batches += 1
        total += count
        if position is None:
            finished = True
            break
        time.sleep(rest_after(time.monotonic() - began))
    if finished:
        _write_mark(min(before, oldest_unfinished(before) or before))
    if total:
        log_event(
            logger,
            "retention.purged",
            events=total,
            batches=batches,
            finished=finished,
            before=before.isoformat(),
        )
    return PurgeResult(purged=total, batches=batches, finished=finished)


def _read_mark() -> datetime | None:
    try:
        raw = get_redis().get(MARK_KEY)
    except redis.RedisError:
        return None
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.decode()) - MARK_OVERLAP
    except ValueError:
        return None


def _write_mark(before: datetime) -> None:
    try:
        get_redis().set(MARK_KEY, before.isoformat())
    except redis.RedisError as exc:
        log_event(logger, "retention.mark.failed", logging.WARNING, error=exc.__class__.__name__)
