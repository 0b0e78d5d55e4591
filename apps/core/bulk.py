"""One INSERT of many instances of a model: what bulk_create does that the workers
need, without compiling the statement anew on every call (apps.core.storage lists the
other hand-written statements of the hot paths; `storage.insert` is this `insert`).

On PostgreSQL the rows travel as one JSON document (json.dumps runs in C) that
json_populate_recordset turns back into rows: one parameter and one statement text for
any batch. A VALUES list of 25 parameters a row was parsed anew by psycopg for every
batch, and one array per column (unnest) had psycopg quote every element in Python:
each cost up to a fifth of a worker's Python time (docs/performance.md). SQLite, and a
model with a field of its own kind, get the VALUES list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Field, Model


@cache
def _columns(model: type[Model]) -> tuple[list[Field], str]:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    return fields, ", ".join(connection.ops.quote_name(field.column) for field in fields)


def insert(objs: Sequence[Model]) -> None:
    """Save new instances of one model, many per statement; each gets its primary key.

    What bulk_create does that the workers need, and nothing else: every concrete column,
    values prepared by the fields themselves (so defaults, auto_now and the database's own
    formats still apply). No signals are sent, as with bulk_create."""
    if not objs:
        return
    fields, _ = _columns(type(objs[0]))
    # The backend's bound on parameters (SQLite's is low), and PostgreSQL's 65,535.
    size = max(1, min(connection.ops.bulk_batch_size(fields, objs), 1000))
    for start in range(0, len(objs), size):
        _insert(objs[start : start + size])


def _insert(objs: Sequence[Model]) -> None:
    model = type(objs[0])
    fields, _ = _columns(model)
    if connection.vendor == "postgresql" and _plain(model):
        rows = [
            {field.column: field.get_prep_value(field.pre_save(obj, True)) for field in fields}
            for obj in objs
        ]
        sql, params = _recordset_sql(model), [json.dumps(rows, default=str)]
    else:
        sql = _values_sql(model, len(objs))
        params = [
            field.get_db_prep_save(field.pre_save(obj, True), connection)
            for obj in objs
            for field in fields
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    # Both forms return the rows in the order given, as bulk_create relies on.
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


# Field classes whose prepared value means the same as JSON as it does as a parameter.
_JSON_SAFE = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateTimeField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "JSONField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


@cache
def _plain(model: type[Model]) -> bool:
    """Whether every column of the model is one of Django's own plain fields."""
    fields, _ = _columns(model)
    return all(
        type(field).__module__.startswith("django.") and type(field).__name__ in _JSON_SAFE
        for field in fields
    )


def _into(model: type[Model]) -> str:
    _, columns = _columns(model)
    return f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns})"


def _returning(model: type[Model]) -> str:
    return f"RETURNING {connection.ops.quote_name(model._meta.pk.column)}"


@cache
def _recordset_sql(model: type[Model]) -> str:
    _, columns = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    return (
        f"{_into(model)} SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s::json) "
        f"{_returning(model)}"
    )


def _values_sql(model: type[Model], count: int) -> str:
    fields, _ = _columns(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return f"{_into(model)} VALUES {', '.join([row] * count)} {_returning(model)}"
