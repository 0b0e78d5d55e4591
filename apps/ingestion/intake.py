"""Admission and storage of verified requests, a batch at a time (group commit).

One batch is one call of the admission script (every request's rate limit and
idempotency key, one Redis round trip) and one multi-row INSERT of the admitted rows
(one commit: one fsync on PostgreSQL and on SQLite alike). Each request is answered
after the commit that holds its row. If the INSERT fails, every request of the batch
fails with it (503) and the keys its new events took are given back, so that the
producers' retries are accepted rather than taken for duplicates.

Concurrent requests of a web process share batches (apps/ingestion/group_commit.py);
with INGEST_GROUP_COMMIT off, or inside a transaction of the caller's, each request is a
batch of its own, on its own connection: the same I/O as before grouping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError, connection

from apps.core import storage
from apps.core.logs import log_event
from apps.core.models import EventStatus
from apps.ingestion import idempotency
from apps.ingestion.group_commit import GroupCommit
from apps.ingestion.idempotency import Admission

logger = logging.getLogger(__name__)
_RECEIVED, _DUPLICATE = str(EventStatus.RECEIVED), str(EventStatus.DUPLICATE)


@dataclass(frozen=True)
class Candidate:
    """A verified request and the row it would be (admission sets the row's status)."""

    source_id: int
    rate_limit_per_minute: int
    key: str
    row: list  # storage.event_row(...), its status set by admission


@dataclass(frozen=True)
class Admitted:
    admission: Admission
    event_id: int | None = None  # None: refused by the rate limit
    error: Exception | None = None  # this row alone failed (the request raises it)


def admit_and_store(candidates: list[Candidate]) -> list[Admitted]:
    """One batch: one admission call, one INSERT of what it let through (received or
    duplicate); one Admitted per candidate, in order."""
    admissions = idempotency.admit_many(
        [(c.source_id, c.rate_limit_per_minute, c.key) for c in candidates]
    )
    stored = [i for i, admission in enumerate(admissions) if admission.allowed]
    rows = []
    for i in stored:
        row = list(candidates[i].row)
        row[storage.STATUS_AT] = _RECEIVED if admissions[i].first_seen else _DUPLICATE
        rows.append(row)
    try:
        got = dict(zip(stored, _insert(rows), strict=True))
    except Exception:
        _release([candidates[i] for i in stored if admissions[i].first_seen])
        raise
    failed = [i for i, one in got.items() if isinstance(one, Exception)]
    _release([candidates[i] for i in failed if admissions[i].first_seen])
    results = []
    for i, admission in enumerate(admissions):
        one = got.get(i)
        if isinstance(one, Exception):
            results.append(Admitted(admission, error=one))
        else:
            results.append(Admitted(admission, event_id=one))
    return results


def _insert(rows: list[list]) -> list[int | Exception]:
    if not rows:
        return []
    try:
        return list(storage.insert_events(rows))
    except (DataError, IntegrityError):
        # One row spoilt the statement: each on its own, so only that one fails.
        return [_insert_one(row) for row in rows]


def _insert_one(row: list) -> int | Exception:
    try:
        try:
            return storage.insert_events([row])[0]
        except DataError:
            # A payload the database's JSON type refuses: the raw body is still kept whole.
            row = list(row)
            row[storage.PAYLOAD_AT] = None
            return storage.insert_events([row])[0]
    except DatabaseError as exc:  # for this row alone (IntegrityError: its source is gone)
        return exc


def _release(candidates: list[Candidate]) -> None:
    try:
        idempotency.release_many([(c.source_id, c.key) for c in candidates])
    except redis.RedisError:
        log_event(
            logger, "ingest.idempotency.release_failed", logging.WARNING, keys=len(candidates)
        )


_grouped = GroupCommit(
    admit_and_store,
    max_batch=storage.MAX_EVENT_ROWS,
    in_flight=settings.INGEST_BATCHES_IN_FLIGHT,
)


def admit(candidate: Candidate) -> Admitted:
    """Admit and store one request, in a batch with its concurrent neighbours. Raises
    what failed the whole batch (RedisError, DatabaseError)."""
    if not settings.INGEST_GROUP_COMMIT or connection.in_atomic_block:
        return admit_and_store([candidate])[0]
    return _grouped.submit(candidate)


def queued() -> int:
    return _grouped.queued()


def in_flight() -> int:
    return _grouped.in_flight()


def most_in_flight() -> int:
    return _grouped.most_in_flight
