"""The ingest hot path, in the order of the design:

source -> size -> signature -> rate limit -> idempotency -> persist + enqueue on commit.

The last three run a batch at a time: concurrent requests share one Redis round trip
and one INSERT (apps/ingestion/intake.py), each answered after the commit of its row.

It does no routing and no outbound HTTP. Every answer is an IngestResult (status code +
JSON body); the view only translates it. Redis or the database failing answers 503, so
the producer retries: an event is never acknowledged unless its row is committed.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone

from apps.core import ratelimit, storage, task_names
from apps.core.errors import error_body
from apps.core.logs import log_event
from apps.core.models import EventStatus, Source
from apps.core.queue import BatchPublisher, gateway_counter
from apps.ingestion import intake, parsing, refusals
from apps.ingestion.declarations import Reading, reading_of
from apps.ingestion.parsing import ParsedEvent
from apps.ingestion.sources import active_source
from apps.ingestion.sources import forget as forget_sources
from apps.ingestion.verification import verify_source_request

logger = logging.getLogger(__name__)
PROCESS_TASK = task_names.PROCESS_EVENTS
# Accepted events go to the workers many ids per message (apps.core.queue).
to_route = BatchPublisher(
    PROCESS_TASK,
    interval=settings.INGEST_PUBLISH_INTERVAL_MS / 1000,
    batch_above=settings.INGEST_PUBLISH_BATCH_ABOVE_PER_SECOND,
    gateway_rate=gateway_counter(),
)


@dataclass(frozen=True)
class IngestResult:
    status_code: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def error(status_code: int, code: str, message: str, **headers: str) -> IngestResult:
    return IngestResult(status_code, error_body(code, message), headers)


def unavailable(what: str) -> IngestResult:
    return error(503, "unavailable", f"{what} is unavailable; retry later", **{"Retry-After": "5"})


def too_large() -> IngestResult:
    limit = settings.WEBHOOK_MAX_BODY_BYTES
    return error(413, "payload_too_large", f"body is larger than the {limit}-byte limit")


@dataclass(frozen=True)
class Inbound:
    headers: dict[str, str]  # lower-case names
    body: bytes
    content_type: str
    query_string: str = ""  # as received, for `query.<name>` route conditions


def find_source(slug: str) -> Source | IngestResult:
    try:
        source = active_source(slug)
    except DatabaseError:
        return unavailable("the database")
    if source is None:
        return error(404, "unknown_source", f"no active source with slug {slug!r}")
    return source


def ingest(source: Source, inbound: Inbound) -> IngestResult:
    if len(inbound.body) > settings.WEBHOOK_MAX_BODY_BYTES:
        return too_large()
    try:
        return _ingest_for(source, inbound)
    except redis.RedisError as exc:
        log_event(logger, "ingest.unavailable", logging.ERROR, source=source.slug, error=repr(exc))
        return unavailable("Redis")
    except IntegrityError:
        # The source was deleted after this process cached it.
        forget_sources()
        return error(404, "unknown_source", f"no active source with slug {source.slug!r}")
    except DatabaseError as exc:
        log_event(logger, "ingest.unavailable", logging.ERROR, source=source.slug, error=repr(exc))
        return unavailable("the database")


def _ingest_for(source: Source, inbound: Inbound) -> IngestResult:
    # What the source's scheme and the producer quirks declare, gathered once: ingest
    # itself names no scheme and no producer.
    reading = reading_of(source)
    verdict = verify_source_request(source, inbound.headers, inbound.body, time.time())
    if not verdict.ok:
        return _refuse(source, reading, inbound, verdict.reason)

    key = parsing.idempotency_key(inbound.headers, inbound.body, reading)
    # Parsed before admission: the row goes into the batch whole (apps/ingestion/intake.py).
    row = storage.event_row(_row(source, _parse(inbound, reading, key), EventStatus.RECEIVED))
    admitted = intake.admit(intake.Candidate(source.pk, source.rate_limit_per_minute, key, row))
    admission = admitted.admission
    if not admission.allowed:
        wait = max(1, round(admission.retry_after))
        return error(
            429,
            "rate_limited",
            f"source {source.slug!r} allows {source.rate_limit_per_minute} events per minute",
            **{"Retry-After": str(wait)},
        )
    if admitted.error is not None:
        raise admitted.error  # this row alone was not stored (its key is given back)
    if not admission.first_seen:
        return IngestResult(200, {"status": "duplicate"})
    event_id = admitted.event_id
    # At once in autocommit; after the caller's commit when inside a transaction.
    transaction.on_commit(lambda: to_route.add(event_id))
    return IngestResult(200, {"status": "accepted", "delivery_id": event_id})


def _parse(inbound: Inbound, reading: Reading, key: str) -> ParsedEvent:
    return parsing.parse_event(
        inbound.headers,
        inbound.body,
        inbound.content_type,
        reading,
        key,
        query_string=inbound.query_string,
    )


def _refuse(source: Source, reading: Reading, inbound: Inbound, reason: str) -> IngestResult:
    # Kept for diagnosis, but bounded in rows a minute and body bytes an hour: anyone
    # who knows the URL can send unsigned requests, each one a stored row otherwise.
    kept = inbound.body[: settings.SIG_FAILED_BODY_BYTES]
    recorded = _may_record_failure(source, len(kept))
    if recorded:
        _store(
            source,
            _parse(replace(inbound, body=kept), reading, ""),
            EventStatus.SIG_FAILED,
            error=reason,
            whole_body=inbound.body,
        )
    else:
        refusals.count_unstored(source.pk)
    log_event(
        logger, "ingest.signature.failed", source=source.slug, reason=reason, recorded=recorded
    )
    return error(401, "signature_invalid", reason)


def _may_record_failure(source: Source, body_bytes: int) -> bool:
    """Within SIG_FAILED_RECORDS_PER_MINUTE and SIG_FAILED_BYTES_PER_HOUR; with Redis
    away, no (the answer is 401 all the same: a refused request must not become a 503
    that invites a retry)."""
    limit = settings.SIG_FAILED_RECORDS_PER_MINUTE
    if not limit:
        return False
    try:
        if not ratelimit.take(f"sig-failed:{source.pk}", limit).allowed:
            return False
        return refusals.take_body_bytes(source.pk, body_bytes)
    except redis.RedisError:
        return False


def _row(
    source: Source,
    event: ParsedEvent,
    status: EventStatus,
    *,
    error: str = "",
    whole_body: bytes | None = None,
) -> dict[str, Any]:
    """The event's row (storage.EVENT_INSERT_COLUMNS). `whole_body`: the body as received
    when `event.body` keeps only part of it."""
    return {
        "source_id": source.pk,
        "received_at": timezone.now(),
        "headers": event.headers,
        "body": event.body,
        "content_type": event.content_type,
        "query_string": event.query_string,
        "payload": event.payload,
        "event_type": event.event_type,
        "idempotency_key": event.idempotency_key,
        "status": status,
        "error": error[:500],
        "body_size": None if whole_body is None else len(whole_body),
        "body_sha256": "" if whole_body is None else hashlib.sha256(whole_body).hexdigest(),
    }


def _store(source: Source, event: ParsedEvent, status: EventStatus, **row: Any) -> int:
    fields = _row(source, event, status, **row)
    try:
        return storage.insert_event(fields)
    except DataError:
        # A payload the database's JSON type refuses: the raw body is still kept whole.
        return storage.insert_event({**fields, "payload": None})
