"""What a scenario cost the server, counted rather than timed: CPU seconds of the web
and worker processes (from /proc) and the benchmark database's commits and row writes
(pg_stat_database). On a machine shared with other work, wall-clock rates move with the
load; these counts per delivery barely do, so two checkouts can be compared by them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from bench.services import Stack

TICKS = os.sysconf("SC_CLK_TCK")
# A backend flushes its statistics at most once a second while busy, and within 10 s
# once idle (PostgreSQL 15's PGSTAT_IDLE_INTERVAL): wait that long before reading them.
STATS_SETTLE_SECONDS = 11.0
DB_FIELDS = ("xact_commit", "tup_inserted", "tup_updated", "tup_deleted", "tup_fetched")


def session_cpu(session_id: int) -> float:
    """User + system CPU seconds of the live processes of a session (a service and its
    children: each is started with a session of its own)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[3]) == session_id:  # field 6 of stat(5), counted after the name
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def db_counters() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            f"SELECT {', '.join(DB_FIELDS)} FROM pg_stat_database WHERE datname = "
            "current_database()"
        )
        return dict(zip(DB_FIELDS, cursor.fetchone(), strict=True))


@dataclass
class Reading:
    web: float
    workers: float
    db: dict[str, int]


def read(stack: Stack) -> Reading:
    workers = sum(session_cpu(w.proc.pid) for w in stack.workers if w.proc)
    web = session_cpu(stack.web.proc.pid) if stack.web and stack.web.proc else 0.0
    return Reading(web, workers, db_counters())


def per_delivery(before: Reading, stack: Stack, accepted: int, delivered: int) -> dict:
    """Costs since `before`, per accepted event (web) and per delivery (workers, the
    database); waits for the database's statistics to settle first."""
    time.sleep(STATS_SETTLE_SECONDS)
    after = read(stack)
    delivered = max(delivered, 1)
    db = {name: after.db[name] - before.db[name] for name in DB_FIELDS}
    return {
        "web_cpu_ms_per_event": round((after.web - before.web) * 1000 / max(accepted, 1), 3),
        "worker_cpu_ms_per_delivery": round((after.workers - before.workers) * 1000 / delivered, 3),
        "commits_per_delivery": round(db["xact_commit"] / delivered, 3),
        "rows_written_per_delivery": round(
            (db["tup_inserted"] + db["tup_updated"] + db["tup_deleted"]) / delivered, 3
        ),
        "rows_fetched_per_delivery": round(db["tup_fetched"] / delivered, 3),
    }
