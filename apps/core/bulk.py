"""One INSERT for many model instances, for the workers' hot path.

QuerySet.bulk_create builds its SQL through the query compiler on every call, and in a
worker that routes and records small batches all day, that compilation cost more CPU
than the database spent on the rows (docs/performance.md). This does the part the
workers need and nothing else: every concrete column, values prepared by the fields
themselves (so defaults, auto_now and the database's own formats still apply), and the
new ids set on the instances. No signals are sent, as with bulk_create.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Field, Model


@cache
def _columns(model: type[Model]) -> tuple[list[Field], str]:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    return fields, ", ".join(connection.ops.quote_name(field.column) for field in fields)


def insert(objs: Sequence[Model]) -> None:
    """Save new instances of one model, many per statement; each gets its primary key."""
    if not objs:
        return
    fields, _ = _columns(type(objs[0]))
    # The backend's bound on parameters (SQLite's is low), and PostgreSQL's 65,535.
    size = max(1, min(connection.ops.bulk_batch_size(fields, objs), 1000))
    for start in range(0, len(objs), size):
        _insert(objs[start : start + size])


def _insert(objs: Sequence[Model]) -> None:
    model = type(objs[0])
    fields, columns = _columns(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in fields
    ]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([row] * len(objs))} RETURNING {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    # Both backends return the rows in the order of VALUES, as bulk_create relies on.
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
