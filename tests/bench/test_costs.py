"""The benchmark's counted costs (bench/costs.py), without running a stack."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.db import connection

from bench import costs, report

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"


def _finished(code: str, at_least: float = 0.0) -> float:
    """CPU seconds of a child in a session of its own, read once it has spent
    `at_least` (or after 20 s) and before it exits."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code + "import sys; sys.stdin.read()"],
        stdin=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        for _ in range(200 if at_least else 5):  # the burn may take long on a loaded machine
            if at_least and costs.session_cpu(proc.pid) >= at_least:
                break
            time.sleep(0.1)
        return costs.session_cpu(proc.pid)
    finally:
        proc.communicate(b"")


def test_a_session_s_cpu_is_counted_and_another_session_s_is_not():
    assert _finished(BURN, at_least=0.4) >= 0.4
    assert _finished("") < 0.3  # a Python start, no burn
    assert costs.session_cpu(2**22 + 1) == 0  # no such session


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stat_database is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_database_counters_count_a_commit_and_its_rows():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE counted (n int)")
    before = costs.db_counters()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO counted SELECT generate_series(1, 25)")  # autocommit
        # Sends this backend's statistics at its next idle moment, not within 10 s.
        cursor.execute("SELECT pg_stat_force_next_flush()")
    after = costs.db_counters()
    assert set(after) == set(costs.DB_FIELDS)
    assert after["xact_commit"] > before["xact_commit"]
    assert after["tup_inserted"] - before["tup_inserted"] >= 25


def test_the_report_lists_each_round_s_costs():
    spent = {
        "web_cpu_ms_per_event": 1.234,
        "worker_cpu_ms_per_delivery": 2.5,
        "commits_per_delivery": 3.0,
        "rows_written_per_delivery": 4.25,
        "rows_fetched_per_delivery": 5.0,
    }
    first, second = {"costs": spent}, {}
    rows = report.cost_rows({"e2e": first, "e2e_rounds": [first, second]})
    assert rows[2:] == ["| 1 | 1.23 ms | 2.50 ms | 3.00 | 4.25 | 5.00 |"]
