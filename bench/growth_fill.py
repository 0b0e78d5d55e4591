"""Fill the benchmark database with millions of events, outcomes and attempts, in bulk
SQL (`INSERT ... SELECT generate_series`), for the growth scenario (bench/growth.py).

The spread, decided per row by cheap hashes of its id:
- ten sources of very different volumes (40 % of the events down to 1 %), one route
  each to a destination of its own;
- over the last 38 days, ids ascending with time as ingest assigns them; retention
  (30 days) has already emptied the oldest 5 % (purged_at set, bodies empty) and has a
  backlog of the next 20 % (30-38 days old) still to purge;
- events: 93 % routed, 2 % sig_failed, 2 % duplicate, 2 % filtered, 1 % no_route;
- outcomes of routed events: 91 % delivered at the first attempt, 7 % after two
  failures (three attempts), 1.5 % dead-lettered after five, 0.5 % filtered (none);
- bodies of about 800 bytes (a GitHub push, trimmed), parsed into the payload, with
  the headers a producer sends; each attempt keeps the request as sent (the body,
  its headers) and the answer, as the recorder does;
- one metric sample a minute over the whole span, with the running attempt counts
  Beat keeps; two issues per destination.

Indexes stay in place during the fill (what a gateway that grew has).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from apps.core.models import ErrorKind, Event, Issue
from bench import scenarios
from bench.services import database_url

SPAN_DAYS = 38.0
PURGED = 0.05  # the oldest fraction, emptied already
CHUNK = 250_000
# Cumulative share (%) of the events per source, biggest first.
SOURCE_SHARES = (40, 60, 72, 80, 86, 90, 94, 97, 99, 100)

DOC = (
    '{"ref":"refs/heads/main","before":"%1$s","after":"%2$s",'
    '"repository":{"id":%3$s,"name":"service-%3$s","full_name":"acme/service-%3$s",'
    '"private":true,"default_branch":"main","owner":{"login":"acme","id":1024}},'
    '"pusher":{"name":"dev-%4$s","email":"dev-%4$s@example.com"},'
    '"sender":{"login":"dev-%4$s","id":%4$s,"type":"User","site_admin":false},'
    '"head_commit":{"id":"%2$s","message":"Fix the retry schedule (event %5$s)",'
    '"timestamp":"2026-11-01T12:00:00Z","url":"https://github.com/acme/service-%3$s/commit/%2$s",'
    '"author":{"name":"dev-%4$s","email":"dev-%4$s@example.com"},'
    '"added":[],"removed":[],"modified":["apps/delivery/policy.py","tests/test_policy.py"]},'
    '"load_test":{"n":%5$s,"group":"g%6$s"}}'
)

EVENTS = """
INSERT INTO core_webhookdelivery (
    id, source_id, received_at, headers, body, content_type, payload, event_type,
    idempotency_key, status, error, body_size, body_sha256, routed_at, routing,
    routing_failures, query_string, purged_at)
SELECT g, k.source_id, k.at,
    CASE WHEN k.purged THEN '{{}}'::jsonb ELSE jsonb_build_object(
        'Content-Type', 'application/json', 'User-Agent', 'GitHub-Hookshot/7a1b2c3',
        'X-GitHub-Event', 'push', 'X-GitHub-Delivery', d.key,
        'X-GitHub-Hook-ID', '40' || (g %% 7), 'X-Hub-Signature-256', 'sha256=' || d.sig,
        'Content-Length', length(d.doc)::text, 'Accept', '*/*') END,
    CASE WHEN k.purged THEN ''::bytea ELSE convert_to(d.doc, 'UTF8') END,
    'application/json',
    CASE WHEN k.purged OR k.status = 'sig_failed' THEN NULL ELSE d.doc::jsonb END,
    'push', 'github:' || d.key, k.status,
    CASE WHEN k.status = 'sig_failed' THEN 'signature mismatch' ELSE '' END,
    CASE WHEN k.status = 'sig_failed' THEN length(d.doc) END,
    '',
    CASE WHEN k.status IN ('routed', 'filtered', 'no_route')
        THEN k.at + interval '15 milliseconds' END,
    CASE WHEN k.status = 'routed'
        THEN jsonb_build_array(jsonb_build_object('route', k.route_id, 'matched', true)) END,
    0, '',
    CASE WHEN k.purged THEN k.at + interval '30 days' END
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g,
LATERAL (SELECT md5(g::text) AS key, md5((g + 1)::text) || md5((g + 2)::text) AS sig,
    format(%(doc)s, md5(g::text), md5((g + 1)::text), g %% 40, g %% 300, g, g %% 100) AS doc) d,
LATERAL (SELECT
    (%(sources)s::bigint[])[s.i] AS source_id, (%(routes)s::bigint[])[s.i] AS route_id,
    now() - interval '5 minutes'
        - (%(span)s * (1 - g::float8 / %(total)s)) * interval '1 day' AS at,
    g <= %(purged)s AS purged,
    CASE WHEN (g * 7919) %% 100 < 2 THEN 'sig_failed'
         WHEN (g * 7919) %% 100 < 4 THEN 'duplicate'
         WHEN (g * 7919) %% 100 < 6 THEN 'filtered'
         WHEN (g * 7919) %% 100 < 7 THEN 'no_route'
         ELSE 'routed' END AS status
    FROM (SELECT {source_index} AS i) s) k
"""

OUTCOMES = """
INSERT INTO core_routeoutcome (
    id, event_id, route_id, destination_id, status, attempt_count, total_attempts,
    next_attempt_at, lease_expires_at, last_status_code, last_error, delivered_at,
    message_id, ordering_key, waiting_for_id, event_received_at, created_at, updated_at)
SELECT e.id, e.id, r.id, r.destination_id, o.status, o.tries, o.tries, NULL, NULL,
    CASE WHEN o.status = 'delivered' THEN 200 WHEN o.status = 'dead_lettered' THEN 503 END,
    CASE WHEN o.status = 'dead_lettered' THEN 'HTTP 503 from the destination' ELSE '' END,
    CASE WHEN o.status = 'delivered' THEN o.finished END,
    'msg_' || substr(md5('m' || e.id), 1, 24), '', NULL, e.received_at, e.routed_at,
    o.finished
FROM core_webhookdelivery e
JOIN core_route r ON r.source_id = e.source_id,
LATERAL (SELECT
    CASE WHEN (e.id * 104729) %% 1000 < 15 THEN 'dead_lettered'
         WHEN (e.id * 104729) %% 1000 < 20 THEN 'filtered'
         ELSE 'delivered' END AS status,
    CASE WHEN (e.id * 104729) %% 1000 < 15 THEN 5
         WHEN (e.id * 104729) %% 1000 < 20 THEN 0
         WHEN (e.id * 104729) %% 1000 < 90 THEN 3
         ELSE 1 END AS tries,
    e.routed_at + CASE WHEN (e.id * 104729) %% 1000 < 15 THEN interval '6 hours'
                       WHEN (e.id * 104729) %% 1000 < 90 THEN interval '90 seconds'
                       ELSE interval '80 milliseconds' END AS finished) o
WHERE e.status = 'routed' AND e.id BETWEEN %(first)s AND %(last)s
"""

ATTEMPTS = """
INSERT INTO core_deliveryattempt (
    outcome_id, destination_id, number, started_at, duration_ms, status_code,
    response_body, error, transformation_id, transformation_version, error_kind,
    request_method, request_url, request_headers, request_body, request_body_size,
    request_body_truncated, response_headers)
SELECT o.id, o.destination_id, n,
    o.created_at + (n - 1) * interval '30 seconds',
    12 + (o.id * n) %% 180,
    CASE WHEN a.ok THEN 200 ELSE 503 END,
    CASE WHEN e.purged_at IS NOT NULL THEN '' WHEN a.ok THEN '{"ok":true}'
         ELSE 'Service Unavailable' END,
    CASE WHEN a.ok THEN '' ELSE 'HTTP 503' END,
    NULL, NULL,
    CASE WHEN a.ok THEN '' ELSE 'http_5xx' END,
    'POST', 'https://hooks.example.com/' || o.destination_id || '/in',
    CASE WHEN e.purged_at IS NOT NULL THEN '{}'::jsonb ELSE jsonb_build_object(
        'Content-Type', 'application/json', 'User-Agent', 'RelayCore/1.0',
        'webhook-id', o.message_id, 'webhook-timestamp', '1764547200',
        'webhook-signature', 'v1,***') END,
    convert_from(e.body, 'UTF8'), length(e.body), false,
    CASE WHEN e.purged_at IS NOT NULL THEN '{}'::jsonb
         ELSE '{"content-type": "application/json", "server": "nginx"}'::jsonb END
FROM core_routeoutcome o
JOIN core_webhookdelivery e ON e.id = o.event_id,
LATERAL generate_series(1, o.total_attempts) AS n,
LATERAL (SELECT o.status = 'delivered' AND n = o.total_attempts AS ok) a
WHERE o.id BETWEEN %(first)s AND %(last)s
"""

SAMPLES = """
INSERT INTO core_metricpoint (
    collected_at, interval_seconds, events_received, events_duplicate, events_sig_failed,
    deliveries_succeeded, attempts_failed, dead_lettered, dead_letters_total, queue_depth,
    held, success_rate, throughput_per_minute, attempts_seen, attempts_ok_seen)
SELECT now() - m * interval '1 minute', 60, 90 + m %% 20, 2, 2, 88 + m %% 20, 9, 1,
    1000, m %% 5, 0, 0.9, 90 + m %% 20,
    (a.total * (1 - m::float8 / %(minutes)s))::bigint,
    (a.ok * (1 - m::float8 / %(minutes)s))::bigint
FROM generate_series(1, %(minutes)s) AS m,
    (SELECT count(*) AS total, count(*) FILTER (WHERE status_code = 200) AS ok
     FROM core_deliveryattempt) a
"""


def source_index() -> str:
    """A CASE giving each row's source (1-based) from a hash, in SOURCE_SHARES."""
    hashed = "(g * 31) %% 100"
    arms = " ".join(
        f"WHEN {hashed} < {share} THEN {i + 1}" for i, share in enumerate(SOURCE_SHARES)
    )
    return f"CASE {arms} END"


@dataclass(frozen=True)
class Filled:
    small_source: int
    big_destination: int
    recent_event: int
    deep_cursor: str


def configure() -> tuple[list[int], list[int]]:
    sources, routes = [], []
    for i in range(len(SOURCE_SHARES)):
        source = scenarios.make_source(f"grown-{i}")
        route = scenarios.make_route(source, f"https://hooks.example.com/{i}/in", f"grown-{i}")
        sources.append(source.pk)
        routes.append(route.pk)
    return sources, routes


def _chunks(total: int, sql: str, params: dict, name: str) -> float:
    began = time.monotonic()
    for first in range(1, total + 1, CHUNK):
        last = min(first + CHUNK - 1, total)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(sql, {**params, "first": first, "last": last})
        print(f"    {name} through {last:,}", flush=True)
    return round(time.monotonic() - began, 1)


def fill(total: int) -> dict:
    """Insert `total` events and their outcomes and attempts; VACUUM ANALYZE after."""
    sources, routes = configure()
    params = {
        "doc": DOC,
        "sources": sources,
        "routes": routes,
        "span": SPAN_DAYS,
        "total": total,
        "purged": int(total * PURGED),
    }
    timings = {
        "events_s": _chunks(total, EVENTS.format(source_index=source_index()), params, "events"),
        "outcomes_s": _chunks(total, OUTCOMES, {}, "outcomes"),
        "attempts_s": _chunks(total, ATTEMPTS, {}, "attempts"),
    }
    with connection.cursor() as cursor:
        cursor.execute(SAMPLES, {"minutes": int(SPAN_DAYS * 24 * 60)})
        for table in ("core_webhookdelivery", "core_routeoutcome", "core_deliveryattempt"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    issues(routes)
    began = time.monotonic()
    url = database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings["vacuum_analyze_s"] = round(time.monotonic() - began, 1)
    return timings


def issues(routes: list[int]) -> None:
    from apps.core.models import Route

    now = timezone.now()
    for route in Route.objects.filter(pk__in=routes).select_related("destination"):
        for kind in (ErrorKind.HTTP_5XX, ErrorKind.TIMEOUT):
            Issue.objects.create(
                destination=route.destination,
                kind=kind,
                count=5000,
                first_seen=now - timedelta(days=SPAN_DAYS),
                last_seen=now,
                last_error="HTTP 503",
            )


def described() -> Filled:
    """The rows the endpoint figures ask for."""
    from apps.core.models import Route

    routes = list(Route.objects.filter(name__startswith="grown-").order_by("id"))
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first()
    return Filled(
        small_source=routes[-1].source_id,
        big_destination=routes[0].destination_id,
        recent_event=newest,
        deep_cursor=deep_cursor(),
    )


def deep_cursor() -> str:
    """A cursor into the middle of the event list (a user paging far back)."""
    from apps.api.cursor import encode_after

    newest = Event.objects.order_by("-id").values_list("id", flat=True).first() or 2
    middle = Event.objects.filter(pk__gte=newest // 2).order_by("pk").first()
    return encode_after(middle.received_at, middle.pk)


def sizes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
            "WHERE relname IN ('core_webhookdelivery', 'core_routeoutcome', "
            "'core_deliveryattempt')"
        )
        found = dict(cursor.fetchall())
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        found["database"] = cursor.fetchone()[0]
    return found
