"""Every hand-written SQL statement of the hot paths, in one place.

The ORM compiles a statement anew on every call; on the paths that run for every event
and every outcome that compilation cost more CPU than the database spent on the rows
(docs/performance.md, changes 10 and 13). So these few statements are written by hand:

insert_event        ingest's INSERT of the event row (named columns, the rest defaults)
insert_event_rows   the same for a batch of events in one multi-row INSERT (group commit)
received_events     a routing batch's events still received, each with its source
still_received      which of them still are (read again under a source's lock)
destinations_now    some columns of a batch's destinations, as the rows hold them now
paused_routes       which of a batch's routes are paused
insert              one INSERT of many instances, ids set back (apps.core.bulk)
mark_routed         the batch's events: received -> routed / filtered / no_route, with
                    each one's routing verdicts, answering ids
claim_outcomes      outcomes: pending/retrying -> delivering with a lease, answering ids
set_delivered       outcomes: delivering -> delivered, with one status code
upsert_issues       a batch's failures counted into their Issues, resolved ones reopened
has_event_after     does a source have any event above an id (the idle listen poll)
lock_ordering_keys  PostgreSQL: transaction locks on ordering keys (apps.delivery.ordering)
lock_sources        PostgreSQL: transaction locks on sources (ordered routing, one at a time)
last_unfinished     PostgreSQL: each point's last unfinished outcome before it in its line

Each statement names its columns in a tuple below (COLUMNS lists them all), and
tests/core/test_storage.py checks them against the models' concrete fields, so that a
new field the INSERTs would leave out, or a renamed column, fails a test and not ingest.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from datetime import datetime
from functools import cache

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.sql import Query
from django.utils import timezone

from apps.core.bulk import insert  # noqa: F401 - one module for the hot statements
from apps.core.models import (
    Destination,
    Event,
    EventStatus,
    Issue,
    IssueStatus,
    Outcome,
    OutcomeStatus,
    Route,
    Source,
)
from apps.core.reconnect import once_more_if_dropped

_EVENTS = Event._meta.db_table
_OUTCOMES = Outcome._meta.db_table
_ISSUES = Issue._meta.db_table
CLAIMABLE = (OutcomeStatus.PENDING, OutcomeStatus.RETRYING)

# The columns each statement writes (all of the model's for `insert`).
EVENT_INSERT_COLUMNS = (
    "source_id",
    "received_at",
    "headers",
    "body",
    "content_type",
    "query_string",
    "payload",
    "event_type",
    "idempotency_key",
    "status",
    "error",
    "body_size",
    "body_sha256",
)
MARK_ROUTED_COLUMNS = ("status", "routing", "routed_at")
CLAIM_COLUMNS = ("status", "lease_expires_at", "updated_at")
# A success: what each column becomes ("%s" takes a parameter, in this order).
_DELIVERED_SET = {
    "status": "%s",
    "attempt_count": "attempt_count + 1",
    "total_attempts": "total_attempts + 1",
    "next_attempt_at": "NULL",
    "lease_expires_at": "NULL",
    "last_status_code": "%s",
    "last_error": "''",
    "delivered_at": "%s",
    "updated_at": "%s",
}
DELIVERED_COLUMNS = tuple(_DELIVERED_SET)
ISSUE_INSERT_COLUMNS = (
    "destination_id",
    "kind",
    "status",
    "count",
    "first_seen",
    "last_seen",
    "last_error",
    "last_status_code",
    "acknowledged_by",
    "resolved_by",
)
# An issue already there: what each column becomes (`excluded` is the row offered).
_ISSUE_UPDATE_SET = {
    "count": f"{_ISSUES}.count + excluded.count",
    "last_seen": "excluded.last_seen",
    "last_error": "excluded.last_error",
    "last_status_code": "excluded.last_status_code",
    "status": f"CASE WHEN {_ISSUES}.status = %s THEN %s ELSE {_ISSUES}.status END",
    "reopened_at": f"CASE WHEN {_ISSUES}.status = %s THEN excluded.last_seen "
    f"ELSE {_ISSUES}.reopened_at END",
}
ISSUE_UPDATE_COLUMNS = tuple(_ISSUE_UPDATE_SET)
COLUMNS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "insert_event": (Event, EVENT_INSERT_COLUMNS),
    "mark_routed": (Event, MARK_ROUTED_COLUMNS),
    "claim_outcomes": (Outcome, CLAIM_COLUMNS),
    "set_delivered": (Outcome, DELIVERED_COLUMNS),
    "upsert_issues": (Issue, ISSUE_INSERT_COLUMNS),
    "upsert_issues_update": (Issue, ISSUE_UPDATE_COLUMNS),
}


def _in(ids: Sequence[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _among(ids: Sequence[int]) -> tuple[str, list[object]]:
    """`id` among these ids, as SQL and its parameters. On PostgreSQL one array, so that
    the statement's text does not change with the count: psycopg parses a statement of
    more than 50 parameters anew on every call, and these run for every batch."""
    if connection.vendor == "postgresql":
        # As an array literal: psycopg would dump a list element by element in Python.
        return "id = ANY(%s::bigint[])", ["{" + ",".join(str(int(pk)) for pk in ids) + "}"]
    return f"id IN ({_in(ids)})", list(ids)


def _at(moment: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


# -- ingest ------------------------------------------------------------------------------

_EVENT_ROW = f"({_in(EVENT_INSERT_COLUMNS)})"
_INSERT_EVENTS_SQL = f"INSERT INTO {_EVENTS} ({', '.join(EVENT_INSERT_COLUMNS)}) VALUES "
# Rows per statement: SQLite's oldest bound on parameters is 999 (13 per row).
MAX_EVENT_ROWS = 999 // len(EVENT_INSERT_COLUMNS)


STATUS_AT = EVENT_INSERT_COLUMNS.index("status")
PAYLOAD_AT = EVENT_INSERT_COLUMNS.index("payload")


def insert_event(fields: dict) -> int:
    """Store one inbound event (fields named as EVENT_INSERT_COLUMNS, received_at may be
    left out: now); answers its id."""
    return insert_events([event_row(fields)])[0]


def event_row(fields: dict) -> list[object]:
    """An event's parameters for insert_events, in EVENT_INSERT_COLUMNS order, encoded
    as the model's fields encode them (tests read the rows back through the model).
    Encoded by each request's own thread, so that a batch's leader only joins them."""
    payload = fields["payload"]
    values = {
        **fields,
        "received_at": _at(fields.get("received_at") or timezone.now()),
        "headers": json.dumps(fields["headers"]),
        "payload": None if payload is None else json.dumps(payload),
        "status": str(fields["status"]),
    }
    return [values[column] for column in EVENT_INSERT_COLUMNS]


def insert_events(rows: Sequence[Sequence[object]]) -> list[int]:
    """Store inbound events (event_row's) in one statement, so one commit; answers their
    ids in order."""
    if connection.in_atomic_block:
        # Inside a caller's transaction a failed INSERT must not poison it: savepoint.
        with transaction.atomic():
            return insert_event_rows(rows)
    # Otherwise one autocommitted INSERT: no BEGIN/COMMIT round trips on the hot path.
    return once_more_if_dropped(lambda: insert_event_rows(rows))


def insert_event_rows(rows: Sequence[Sequence[object]]) -> list[int]:
    """The event rows in plain multi-row INSERTs (one unless there are more than
    MAX_EVENT_ROWS). The ORM's create() compiled the same statement anew for every
    request: about a quarter of ingest's Python CPU (docs/performance.md)."""
    ids: list[int] = []
    for start in range(0, len(rows), MAX_EVENT_ROWS):
        part = rows[start : start + MAX_EVENT_ROWS]
        params = [value for row in part for value in row]
        sql = f"{_INSERT_EVENTS_SQL}{', '.join([_EVENT_ROW] * len(part))} RETURNING id"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            # Both backends return the rows in the order of VALUES (as bulk_create assumes).
            ids += [row[0] for row in cursor.fetchall()]
    return ids


# -- routing ---------------------------------------------------------------------------

# What routing reads of a source: all but its secrets (it uses the slug and switches).
SOURCE_SECRETS = ("secret", "previous_secret")


@cache
def _select(model: type[Model], leave_out: tuple[str, ...] = ()) -> str:
    columns = [
        connection.ops.quote_name(field.column)
        for field in model._meta.concrete_fields
        if field.name not in leave_out
    ]
    return f"SELECT {', '.join(columns)} FROM {connection.ops.quote_name(model._meta.db_table)}"


def received_events(ids: Sequence[int]) -> list[Event]:
    """Those of these events still received, oldest first, each with its source. Two
    plain reads (the ORM compiled its join anew for every batch: a sixth of a worker's
    Python time); the rows become instances as the ORM makes them (_instances)."""
    among, params = _among(ids)
    events = _instances(
        Event,
        f"{_select(Event)} WHERE {among} AND status = %s ORDER BY id",
        [*params, str(EventStatus.RECEIVED)],
    )
    if events:
        among, params = _among(sorted({event.source_id for event in events}))
        sql = f"{_select(Source, SOURCE_SECRETS)} WHERE {among}"
        sources = {source.pk: source for source in _instances(Source, sql, params)}
        for event in events:
            event.source = sources[event.source_id]
    return events


def _instances(model: type[Model], sql: str, params: Sequence) -> list:
    """The rows of `sql`, which selects columns of `model` by their names, as instances:
    what `raw()` makes, without working out anew for every read which column goes to
    which field and how each converts (a tenth of a worker's GIL time at 100 events/s)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    names, positions, converters = _loading(model, columns, connection.alias)
    instances = []
    for row in rows:
        values = [row[at] for at in positions]
        for at, (functions, expression) in converters:
            for convert in functions:
                values[at] = convert(values[at], expression, connection)
        instances.append(model.from_db(connection.alias, names, values))
    return instances


@cache
def _loading(
    model: type[Model], columns: tuple[str, ...], alias: str
) -> tuple[list[str], list[int], list[tuple[int, tuple]]]:
    """For rows of these columns: the field names in the model's order (as from_db
    takes them), where each one's value is in the row, and the converters that raw()
    would apply, by position in that order."""
    fields = [field for field in model._meta.concrete_fields if field.column in columns]
    names = [field.attname for field in fields]
    positions = [columns.index(field.column) for field in fields]
    compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, alias)
    found = compiler.get_converters([field.get_col(model._meta.db_table) for field in fields])
    return names, positions, sorted(found.items())


def still_received(ids: Sequence[int]) -> set[int]:
    """Which of these events are still received (ids only: the rows were read before)."""
    among, params = _among(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Event._meta.db_table} WHERE {among} AND status = %s",
            [*params, str(EventStatus.RECEIVED)],
        )
        return {row[0] for row in cursor.fetchall()}


def destinations_now(ids: Sequence[int], names: Sequence[str]) -> list[Destination]:
    """These destinations with only the fields `names` read (the others deferred)."""
    among, params = _among(ids)
    columns = ", ".join(["id", *(Destination._meta.get_field(n).column for n in names)])
    sql = f"SELECT {columns} FROM {Destination._meta.db_table} WHERE {among}"
    return _instances(Destination, sql, params)


def paused_routes(ids: Sequence[int]) -> set[int]:
    """Which of these routes are paused (deleted ones included), as the rows say now."""
    among, params = _among(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Route._meta.db_table} WHERE {among} AND paused", params)
        return {row[0] for row in cursor.fetchall()}


# -- listen ------------------------------------------------------------------------------

_HAS_EVENT_AFTER_SQL = f"SELECT 1 FROM {_EVENTS} WHERE source_id = %s AND id > %s LIMIT 1"


def has_event_after(source_id: int, after: int) -> bool:
    """Whether the source has any event, refused or not, above `after`. An idle listener
    asks this every second: one probe of the (source_id, id) index, nothing compiled."""
    with connection.cursor() as cursor:
        cursor.execute(_HAS_EVENT_AFTER_SQL, [source_id, after])
        return cursor.fetchone() is not None


# -- the workers' UPDATEs ----------------------------------------------------------------


def mark_routed(routed: dict[int, tuple[str, list[dict]]], now: datetime) -> set[int]:
    """Set each of these events still received to its status (routed, filtered or
    no_route) and its routing verdicts, in one statement; answers their ids. One UPDATE,
    so that two workers lock overlapping batches in the same (index) order."""
    if not routed:
        return set()
    ids = list(routed)
    among, among_params = _among(ids)
    if connection.vendor == "postgresql":
        # Each row's values looked up by its id in one JSON document: one text for any
        # batch (see _among), and no array for psycopg to quote element by element.
        values = json.dumps(
            {str(pk): [str(status), found] for pk, (status, found) in routed.items()}
        )
        status_sql, routing_sql = "(%s::jsonb -> id::text ->> 0)", "(%s::jsonb -> id::text -> 1)"
        set_params = [values, values]
    else:
        field = Event._meta.get_field("routing")
        status_sql, status_params = _status_case(routed)
        routing_params = [
            p
            for pk, (_, verdicts) in routed.items()
            for p in (pk, field.get_db_prep_save(verdicts, connection))
        ]
        routing_sql = "CASE id " + " ".join(["WHEN %s THEN %s"] * len(ids)) + " END"
        set_params = [*status_params, *routing_params]
    with connection.cursor() as cursor:
        # MARK_ROUTED_COLUMNS, in order: status, routing, routed_at.
        cursor.execute(
            f"UPDATE {_EVENTS} SET status = {status_sql}, routing = {routing_sql}, "
            f"routed_at = %s WHERE {among} AND status = %s RETURNING id",
            [*set_params, _at(now), *among_params, str(EventStatus.RECEIVED)],
        )
        return {row[0] for row in cursor.fetchall()}


def _status_case(routed: dict[int, tuple[str, list[dict]]]) -> tuple[str, list[object]]:
    by_status: dict[str, list[int]] = {}
    for pk, (status, _) in routed.items():
        by_status.setdefault(str(status), []).append(pk)
    *cases, (last_status, _) = by_status.items()
    if not cases:
        return "%s", [last_status]
    whens = " ".join(f"WHEN id IN ({_in(pks)}) THEN %s" for _, pks in cases)
    params = [p for status, pks in cases for p in (*pks, status)] + [last_status]
    return f"CASE {whens} ELSE %s END", params


_SET_CLAIMED = ", ".join(f"{column} = %s" for column in CLAIM_COLUMNS)


def claim_outcomes(ids: list[int], lease: datetime, now: datetime) -> set[int]:
    """Take those of these outcomes still pending or retrying: one UPDATE ... RETURNING,
    so a row another worker changed first is not returned."""
    among, among_params = _among(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_OUTCOMES} SET {_SET_CLAIMED} "
            f"WHERE {among} AND status IN (%s, %s) RETURNING id",
            [str(OutcomeStatus.DELIVERING), _at(lease), _at(now), *among_params]
            + list(map(str, CLAIMABLE)),
        )
        return {row[0] for row in cursor.fetchall()}


_SET_DELIVERED = ", ".join(f"{column} = {value}" for column, value in _DELIVERED_SET.items())


def set_delivered(outcome_ids: list[int], status_code: int | None, now: datetime) -> None:
    """Record a success for outcomes this worker holds, all answered with one status code."""
    at = _at(now)
    among, among_params = _among(outcome_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_OUTCOMES} SET {_SET_DELIVERED} WHERE {among} AND status = %s",
            [
                str(OutcomeStatus.DELIVERED),
                status_code,
                at,
                at,
                *among_params,
                str(OutcomeStatus.DELIVERING),
            ],
        )


# -- issues ------------------------------------------------------------------------------

_UPSERT_ISSUE_SET = ", ".join(f"{column} = {value}" for column, value in _ISSUE_UPDATE_SET.items())


def upsert_issues(
    failures: dict[tuple[int, str], tuple[int, str, int | None]], now: datetime
) -> None:
    """Count failures into their issues in one INSERT ... ON CONFLICT DO UPDATE, both
    backends: `failures` maps (destination id, kind) to (how many, last error, last
    status code). A new (destination, kind) opens an issue; a resolved one opens again
    (reopened_at), its counts going on; an acknowledged one stays acknowledged.

    The database does the adding, so two workers counting into one issue at once lose
    nothing; rows go in key order so that two batches lock shared issues in one order."""
    if not failures:
        return
    at = _at(now)
    row = "(" + ", ".join(["%s"] * len(ISSUE_INSERT_COLUMNS)) + ")"
    params: list[object] = []
    for (destination_id, kind), (count, error, status_code) in sorted(failures.items()):
        # ISSUE_INSERT_COLUMNS, in order.
        params += [destination_id, kind, str(IssueStatus.OPEN), count, at, at]
        params += [error[:2000], status_code, "", ""]
    resolved, opened = str(IssueStatus.RESOLVED), str(IssueStatus.OPEN)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_ISSUES} ({', '.join(ISSUE_INSERT_COLUMNS)}) "
            f"VALUES {', '.join([row] * len(failures))} "
            f"ON CONFLICT (destination_id, kind) DO UPDATE SET {_UPSERT_ISSUE_SET}",
            [*params, resolved, opened, resolved],
        )


# -- ordering keys -----------------------------------------------------------------------


def _lock_id(route_id: int, key: str) -> int:
    # One signed 64-bit lock per (route, key): the route in the high half, a CRC of the
    # key in the low one. A collision only makes two keys take turns.
    value = (route_id << 32) | zlib.crc32(key.encode())
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def lock_ordering_keys(chains: Sequence[tuple[int, str]]) -> None:
    """Hold these (route id, ordering key) locks until the transaction ends, taken in
    one order so that two transactions cannot wait for each other. SQLite needs none:
    its IMMEDIATE transactions already take turns."""
    if not chains or connection.vendor != "postgresql":
        return
    ids = sorted({_lock_id(route_id, key) for route_id, key in chains})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k", [ids]
        )


SOURCE_LOCKS = 0x52430001  # the first half of a source's two-part advisory lock


def locks_sources() -> bool:
    """Whether lock_sources takes locks (SQLite's writers already take turns)."""
    return connection.vendor == "postgresql"


def lock_sources(source_ids: Sequence[int]) -> None:
    """Hold one lock per source until the transaction ends, taken in id order. The
    two-part form has a key space of its own, apart from the ordering keys' locks."""
    if not source_ids or not locks_sources():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, s) FROM unnest(%s::int[]) AS s ORDER BY s",
            [SOURCE_LOCKS, sorted(set(source_ids))],
        )


# The text names the partial index's own predicate (outcome_ordering_chain), so that each
# point is one backward probe of that index; a literal, not parameters, so that the
# planner can prove the index covers it.
_LAST_UNFINISHED_SQL = f"""
SELECT (
    SELECT o.id FROM {_OUTCOMES} o
    WHERE o.route_id = p.route_id AND o.ordering_key = p.key AND o.event_id < p.event_id
      AND o.ordering_key <> '' AND o.status NOT IN ('delivered', 'filtered')
      AND (p.blocks OR o.status <> 'dead_lettered')
    ORDER BY o.event_id DESC LIMIT 1
)
FROM unnest(%s::int[], %s::text[], %s::bigint[], %s::bool[])
    WITH ORDINALITY AS p(route_id, key, event_id, blocks, n)
ORDER BY p.n
"""


def last_unfinished(points: Sequence[tuple[int, str, int, bool]]) -> list[int | None]:
    """PostgreSQL: for each (route id, ordering key, event id, dead letters block) the
    id of the line's last unfinished outcome before that event, None where there is
    none, in the points' order. One statement whatever the count (the ORM's OR of a
    clause per point cost a sixth of an ordered worker's Python time to compile)."""
    if not points:
        return []
    routes, keys, events, blocks = (list(column) for column in zip(*points, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(_LAST_UNFINISHED_SQL, [routes, keys, events, blocks])
        return [row[0] for row in cursor.fetchall()]
