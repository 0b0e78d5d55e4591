"""The indexes that keep the dashboard's reads flat as the tables grow (docs/performance.md,
"Growth"), present in the database the migrations built."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from apps.core.models import Attempt, Event, Outcome

pytestmark = pytest.mark.django_db


def indexes(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: spec for name, spec in found.items() if spec["index"]}


def test_recent_failures_have_a_partial_index_newest_first():
    spec = indexes(Outcome)["outcome_recent_failures"]

    assert spec["columns"] == ["updated_at", "id"]
    assert spec["orders"] == ["DESC", "DESC"]


def test_a_destinations_window_is_read_from_one_index():
    found = indexes(Attempt)

    assert found["attempt_destination_window"]["columns"][:2] == ["destination_id", "started_at"]
    # The index it replaced would be a second write per attempt.
    assert not [
        name
        for name, spec in found.items()
        if spec["columns"][:2] == ["destination_id", "started_at"]
        and name != "attempt_destination_window"
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'attempt_destination_window'"
            )
            assert "INCLUDE (duration_ms, status_code)" in cursor.fetchone()[0]


def test_dead_letters_have_a_partial_index_by_event():
    spec = indexes(Outcome)["outcome_dead_letters"]

    assert spec["columns"] == ["event_id"]


def test_dead_letters_have_a_partial_index_by_their_events_receipt_time():
    spec = indexes(Outcome)["outcome_dead_letters_by_time"]

    assert spec["columns"] == ["event_received_at"]


# Outside a transaction, as migrate runs them: CONCURRENTLY refuses to run inside one.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("migration", ["0018", "0019", "0020", "0023"])
def test_the_big_tables_indexes_build_without_blocking_writes_on_postgres(migration):
    out = StringIO()
    call_command("sqlmigrate", "core", migration, stdout=out)
    statements = [line for line in out.getvalue().splitlines() if "INDEX" in line]

    assert statements
    for statement in statements:
        # SQLite has no CONCURRENTLY; PostgreSQL would hold writes for the whole build.
        assert ("CONCURRENTLY" in statement) == (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="autovacuum is PostgreSQL's")
@pytest.mark.parametrize("model", [Event, Outcome, Attempt])
def test_the_growing_tables_are_vacuumed_after_a_hundredth_of_new_rows(model):
    # PostgreSQL's default waits for a fifth of the table: at 5 million events, a million
    # rows the dashboard's index-only counts would each fetch from the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [model._meta.db_table])
        (options,) = cursor.fetchone()

    assert "autovacuum_vacuum_insert_scale_factor=0.01" in options
    assert "autovacuum_vacuum_scale_factor=0.02" in options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="fillfactor is PostgreSQL's")
@pytest.mark.parametrize("model, percent", [(Event, 95), (Attempt, 90)])
def test_the_pages_retention_rewrites_keep_room_for_the_rewrite(model, percent):
    # Retention's UPDATE then stays on the row's page and adds no index entry (HOT):
    # 4.3 KB of WAL per purged event instead of 6.9 (migration 0026).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [model._meta.db_table])
        (options,) = cursor.fetchone()

    assert f"fillfactor={percent}" in options
