"""Reference views: what ingest would cost with nothing but the middleware, or nothing but
its I/O. Ingest is reported as a ratio to them (bench/__main__.py, scenario 5).

bare     answers 200: the floor of Django + gunicorn + the middleware stack.
minimal  does the same I/O as ingest, written as plainly as possible: an HMAC check,
         a rate-limit INCR, a Redis SET NX EX, one INSERT of the event row, one LPUSH
         of a queue message. The source is read once per process and kept.
batched  the same I/O as minimal, grouped the way ingest groups it (group commit,
         apps/ingestion/group_commit.py): the requests that arrive while a batch is in
         flight share the next one, which is one Redis pipeline (each request's INCR and
         SET NX), one multi-row INSERT and one LPUSH. The ceiling of grouped ingest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.core.models import Event, Source
from apps.core.redis import get_redis
from apps.ingestion.group_commit import GroupCommit

_sources: dict[str, tuple[int, bytes]] = {}
_INSERT = (
    f"INSERT INTO {Event._meta.db_table} "
    "(source_id, received_at, headers, body, content_type, payload, event_type, "
    "idempotency_key, status, error) "
    "VALUES (%s, now(), %s, %s, %s, %s, %s, %s, 'received', '') RETURNING id"
)


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "accepted"})


def source_of(slug: str) -> tuple[int, bytes]:
    if slug not in _sources:
        source = Source.objects.get(slug=slug)
        _sources[slug] = (source.pk, source.secret.encode())
    return _sources[slug]


def signature_ok(secret: bytes, body: bytes, given: str) -> bool:
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


@csrf_exempt
def minimal(request: HttpRequest, slug: str) -> JsonResponse:
    source_id, secret = source_of(slug)
    body = request.body
    if not signature_ok(secret, body, request.headers.get("X-Hub-Signature-256", "")):
        return JsonResponse({"error": {"code": "signature_invalid", "message": "no"}}, status=401)
    redis = get_redis()
    key = request.headers.get("X-GitHub-Delivery", "")
    redis.incr(f"bench:rl:{source_id}:{int(time.time() // 60)}")
    if not redis.set(f"bench:idem:{source_id}:{key}", 1, nx=True, ex=86400):
        return JsonResponse({"status": "duplicate"})
    headers = json.dumps({name.lower(): value for name, value in request.headers.items()})
    event_type = request.headers.get("X-GitHub-Event", "")
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT,
            [source_id, headers, body, request.content_type, body.decode(), event_type, key],
        )
        event_id = cursor.fetchone()[0]
    redis.lpush("bench:queue", json.dumps({"task": "process_event", "args": [event_id]}))
    return JsonResponse({"status": "accepted", "delivery_id": event_id})


_ROW = "(%s, now(), %s, %s, %s, %s, %s, %s, 'received', '')"
_INSERT_MANY = _INSERT.split(" VALUES ")[0] + " VALUES "


def _batch(requests: list[tuple]) -> list[int | None]:
    """(source id, key, row values) each: None for a duplicate, else the new row's id."""
    pipe = get_redis().pipeline(transaction=False)
    minute = int(time.time() // 60)
    for source_id, key, _ in requests:
        pipe.incr(f"bench:rl:{source_id}:{minute}")
        pipe.set(f"bench:idem:{source_id}:{key}", 1, nx=True, ex=86400)
    fresh = pipe.execute()[1::2]
    rows = [values for (_, _, values), new in zip(requests, fresh, strict=True) if new]
    ids: list[int] = []
    if rows:
        with connection.cursor() as cursor:
            cursor.execute(
                _INSERT_MANY + ", ".join([_ROW] * len(rows)) + " RETURNING id",
                [value for values in rows for value in values],
            )
            ids = [row[0] for row in cursor.fetchall()]
        get_redis().lpush("bench:queue", json.dumps({"task": "process_events", "args": [ids]}))
    found = iter(ids)
    return [next(found) if new else None for new in fresh]


# As many batches in flight as ingest allows itself.
_grouped = GroupCommit(_batch, in_flight=settings.INGEST_BATCHES_IN_FLIGHT)


@csrf_exempt
def batched(request: HttpRequest, slug: str) -> JsonResponse:
    source_id, secret = source_of(slug)
    body = request.body
    if not signature_ok(secret, body, request.headers.get("X-Hub-Signature-256", "")):
        return JsonResponse({"error": {"code": "signature_invalid", "message": "no"}}, status=401)
    key = request.headers.get("X-GitHub-Delivery", "")
    headers = json.dumps({name.lower(): value for name, value in request.headers.items()})
    event_type = request.headers.get("X-GitHub-Event", "")
    values = [source_id, headers, body, request.content_type, body.decode(), event_type, key]
    event_id = _grouped.submit((source_id, key, values))
    if event_id is None:
        return JsonResponse({"status": "duplicate"})
    return JsonResponse({"status": "accepted", "delivery_id": event_id})
