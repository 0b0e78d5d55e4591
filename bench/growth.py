"""Growth (issue 17, item 5): the same figures on an empty database and on one holding
millions of events, outcomes and attempts, in one run.

    .venv/bin/python -m bench --only growth              # 5 million events
    .venv/bin/python -m bench --only growth --scale 0.1  # 500,000

Order: ingest and end to end on the empty database; the fill (bench/growth_fill.py,
bulk SQL), VACUUM ANALYZE, Beat's tallies and a day of its samples; ingest and end to
end again; each dashboard endpoint, sequential requests, p50/p95; then retention
purging the fill's backlog (about a fifth of it, received 30-38 days ago) in a process
of its own while ingest runs, in rounds alternating with ingest alone (the purger, set
up before the first round, is held with SIGSTOP during the alone rounds, so both kinds
of round share the machine's state).
Counts and ingest rounds follow --scale as in `make bench`; retention is off in the
services (RETENTION_DAYS=0) and on only in the purger.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

import httpx
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncMinute
from django.utils import timezone

from apps.core.models import MetricPoint, MetricTally
from bench import growth_fill, scenarios, wrk
from bench.services import ROOT, Stack
from load_test import percentile

METRICS_TOKEN = "bench-metrics-token"
SAMPLES = 30
TARGET_P95_MS = 150.0


def endpoint_paths(fill: growth_fill.Filled) -> dict[str, str]:
    """The dashboard's reads, as its pages ask for them (page size 25, newest first)."""
    page = "ordering=-received_at&page_size=25"
    return {
        "event list, first page": f"/api/deliveries/?{page}",
        "event list, by source": f"/api/deliveries/?{page}&source={fill.small_source}",
        "event list, by status": f"/api/deliveries/?{page}&status=sig_failed",
        "event list, dead letters": f"/api/deliveries/?{page}&outcome_status=dead_lettered",
        "event list, page 400": f"/api/deliveries/?{page}&page=400",
        "event list, by cursor (deep)": f"/api/deliveries/?{page}&cursor={fill.deep_cursor}",
        "event detail": f"/api/deliveries/{fill.recent_event}/",
        "delivery (outcome) list": "/api/outcomes/?page_size=25",
        "delivery list, by destination": (
            f"/api/outcomes/?page_size=25&destination={fill.big_destination}"
        ),
        "summary (overview)": "/api/metrics/summary/",
        "metric series (24 h)": "/api/metrics/",
        "source list": "/api/sources/",
        "destination stats, 24 h": f"/api/destinations/{fill.big_destination}/stats/?window=24h",
        "destination stats, 7 d": f"/api/destinations/{fill.big_destination}/stats/?window=7d",
        "issues list": "/api/issues/",
        "Prometheus /metrics": "/metrics",
    }


def time_endpoints(stack: Stack, token: str, paths: dict[str, str]) -> dict[str, dict]:
    found = {}
    with httpx.Client(base_url=stack.web_url, timeout=60) as client:
        for name, path in paths.items():
            bearer = METRICS_TOKEN if path == "/metrics" else token
            headers = {"Authorization": f"Bearer {bearer}"}
            status = client.get(path, headers=headers).status_code  # warm
            timings = []
            for _ in range(SAMPLES):
                began = time.perf_counter()
                status = client.get(path, headers=headers).status_code
                timings.append((time.perf_counter() - began) * 1000)
            timings.sort()
            found[name] = {
                "path": path,
                "status": status,
                "p50_ms": round(percentile(timings, 0.50), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
            }
            print(f"  {name}: {found[name]}", flush=True)
    return found


def viewer_token() -> str:
    from django.contrib.auth import get_user_model

    from apps.api.roles import Role, set_role
    from apps.api.tokens import issue_token

    viewer = get_user_model().objects.create_user("bench-growth-viewer")
    set_role(viewer, Role.VIEWER)
    return issue_token(viewer, name="bench growth").key


def steady_tallies() -> float:
    """Beat's metric tallies and hourly roll-ups as after days of running: folded through
    the fill (the second pass as if a minute later, so the first pass's mark has
    settled)."""
    from apps.monitoring import destination_hours, tallies

    began = time.monotonic()
    now = timezone.now()
    tallies.advance_all(now)
    tallies.advance_all(now + tallies.SETTLE + timedelta(seconds=1))
    destination_hours.roll_up(now)  # the week's hours, as Beat has rolled them
    return round(time.monotonic() - began, 1)


def seed_samples(now: datetime) -> int:
    """A day of Beat's per-minute samples, as a gateway that has run a day has them,
    counted from the fill's rows: the summary reads the running attempt count of the one
    a day old (without it, it counts the day's attempts by time, the fallback of a gateway
    younger than a day), and the metric series reads the day's 1,440."""
    from apps.core.models import Attempt, Event, Outcome, OutcomeStatus
    from apps.monitoring import tallies

    start = (now - timedelta(days=1, minutes=2)).replace(second=0, microsecond=0)
    events = dict(
        Event.objects.filter(received_at__gte=start - timedelta(minutes=1))
        .annotate(minute=TruncMinute("received_at"))
        .order_by()
        .values_list("minute")
        .annotate(n=Count("pk"))
    )
    ok = Q(status_code__gte=200, status_code__lt=300)
    attempts = {
        minute: (n, n_ok)
        for minute, n, n_ok in Attempt.objects.filter(started_at__gte=start)
        .annotate(minute=TruncMinute("started_at"))
        .order_by()
        .values_list("minute")
        .annotate(n=Count("pk"), n_ok=Count("pk", filter=ok))
    }
    running = tallies.current("attempts")
    # What was seen at a sample's time: the running count less every later attempt.
    later = [sum(n for n, _ in attempts.values()), sum(n_ok for _, n_ok in attempts.values())]
    dead_letters = Outcome.objects.filter(status=OutcomeStatus.DEAD_LETTERED).count()
    points = []
    when = start
    while when < now:
        n, n_ok = attempts.get(when - timedelta(minutes=1), (0, 0))
        if when > start:
            later = [later[0] - n, later[1] - n_ok]
        received = events.get(when - timedelta(minutes=1), 0)
        points.append(
            MetricPoint(
                collected_at=when,
                interval_seconds=60.0,
                events_received=received,
                deliveries_succeeded=n_ok,
                attempts_failed=n - n_ok,
                dead_letters_total=dead_letters,
                success_rate=n_ok / n if n else None,
                throughput_per_minute=received,
                attempts_seen=int(running.get("count", 0)) - later[0],
                attempts_ok_seen=int(running.get("ok", 0)) - later[1],
            )
        )
        when += timedelta(minutes=1)
    MetricPoint.objects.bulk_create(points, batch_size=500)
    return len(points)


def autovacuum_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return cursor.fetchone()[0]


def vacuum_as_autovacuum_would(setting: str) -> float | None:
    """A server with autovacuum off (some CI configurations) leaves the rows the filled
    phase's rounds wrote unvacuumed: their dead index entries and pages not marked
    all-visible slowed every count of the reads several times over (summary 401 ms,
    /metrics 340 at p50). A deployment vacuums them once a hundredth of a table is new
    (migration 0021); here the scenario does, where that threshold has been passed."""
    if setting != "off":
        return None
    began = time.monotonic()
    with connection.cursor() as cursor:
        for table in ("core_webhookdelivery", "core_routeoutcome", "core_deliveryattempt"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return round(time.monotonic() - began, 1)


def purger(stack: Stack) -> subprocess.Popen:
    """Retention as Beat runs it, one run after another until the backlog is done."""
    # SIGUSR1 and SIGUSR2 turn the WAL's compression on and off between rounds (each
    # batch reads the setting), so one purger walks one backlog under both.
    code = (
        "import django, signal, sys; django.setup()\n"
        "from django.conf import settings\n"
        "from apps.monitoring.retention import purge_old_payloads\n"
        "def compress(on): settings.RETENTION_COMPRESS_WAL = on\n"
        "signal.signal(signal.SIGUSR1, lambda *_: compress(True))\n"
        "signal.signal(signal.SIGUSR2, lambda *_: compress(False))\n"
        "print('ready', flush=True); sys.stdin.readline()\n"
        "while True:\n"
        "    result = purge_old_payloads()\n"
        "    if result.finished: break\n"
    )
    env = {**stack.env, "RETENTION_DAYS": "30", "RETENTION_MAX_BATCHES": "100"}
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    # Set up (Django imported) before the rounds, and held until the first one.
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError("the retention process did not start")
    os.kill(process.pid, signal.SIGSTOP)
    process.stdin.write("go\n")
    process.stdin.flush()
    return process


def purged_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_webhookdelivery WHERE purged_at IS NOT NULL")
        return cursor.fetchone()[0]


def retention_beside_ingest(stack: Stack, count: int, rounds: int) -> dict:
    """Ingest alone and beside the purger, alternating; the purger paused (SIGSTOP)
    during the alone rounds. Beside it twice a round: the purge as it runs (its WAL
    compressed) and with RETENTION_COMPRESS_WAL off, in turn first, for that change's
    before and after in one run."""
    before = purged_count()
    process = purger(stack)
    runs: dict[str, list] = {"alone": [], "beside": [], "beside_plain": []}
    purged_by = {"beside": 0, "beside_plain": 0}
    running_s = {"beside": 0.0, "beside_plain": 0.0}
    began = time.monotonic()

    def beside(name: str, i: int) -> None:
        if process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGUSR1 if name == "beside" else signal.SIGUSR2)
        at_start = purged_count()
        os.kill(process.pid, signal.SIGCONT)
        started = time.monotonic()
        runs[name].append(scenarios.ingest_only(stack, count, f"ret-{name}-{i}"))
        running_s[name] += time.monotonic() - started
        if process.poll() is None:
            os.kill(process.pid, signal.SIGSTOP)
        purged_by[name] += purged_count() - at_start

    try:
        for i in range(rounds):
            runs["alone"].append(scenarios.ingest_only(stack, count, f"ret-alone-{i}"))
            for name in ("beside", "beside_plain")[:: 1 if i % 2 == 0 else -1]:
                beside(name, i)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
            process.terminate()
            process.wait(30)
    rate = {
        name: round(sorted(r["accepted_per_s"] for r in found)[(len(found) - 1) // 2], 1)
        for name, found in runs.items()
        if found
    }
    alone = max(rate["alone"], 1e-9)
    return {
        **runs,
        "accepted_per_s": rate,
        "kept": round(rate.get("beside", 0) / alone, 3),
        "kept_plain": round(rate.get("beside_plain", 0) / alone, 3),
        "purged": purged_count() - before,
        "purged_per_s": round(purged_by["beside"] / max(running_s["beside"], 1e-9), 1),
        "purged_per_s_plain": round(
            purged_by["beside_plain"] / max(running_s["beside_plain"], 1e-9), 1
        ),
        "elapsed_s": round(time.monotonic() - began, 1),
    }


def figures(stack: Stack, n: dict[str, int], tag: str) -> dict:
    ingest = scenarios.ingest_only(stack, n["ingest"], f"ingest-{tag}")
    e2e = scenarios.end_to_end(stack, n["e2e"], f"e2e-{tag}")
    print(f"  ingest {ingest['accepted_per_s']}/s, e2e {e2e.get('deliveries_per_s')}/s")
    return {"ingest": ingest, "e2e": e2e}


def warm_up(stack: Stack, tag: str) -> None:
    """Workers consuming, connections and imports warm, before timing."""
    source = scenarios.make_source(f"warmup-{tag}")
    scenarios.make_route(source, f"{stack.sink_url}/warmup-{tag}", f"warmup-{tag}")
    wrk.run_python(scenarios.plan(stack, source.slug, 200), 8, processes=1)
    if scenarios.wait_for_sink(stack, f"/warmup-{tag}", 200, limit=120) < 200:
        raise RuntimeError("the workers did not deliver the warm-up events")


def run(stack: Stack, n: dict[str, int], events: int, rounds: int) -> dict:
    """Every phase of the growth scenario; the stack's web server is running, with
    retention off (RETENTION_DAYS=0: Beat would start on the fill's backlog at once; it
    runs in its own phase, in purger())."""
    from bench.__main__ import phase

    results: dict = {"events": events}
    stack.start_workers()
    warm_up(stack, "empty")
    phase("growth: empty database")
    results["empty"] = figures(stack, n, "empty")
    stack.stop_workers()
    scenarios.reset_events()
    # Beat's samples and tallies of the rows just emptied: the fill starts a history.
    MetricTally.objects.all().delete()
    MetricPoint.objects.all().delete()

    phase(f"growth: filling {events:,} events")
    results["fill"] = growth_fill.fill(events)
    results["tallies_s"] = steady_tallies()
    results["samples"] = seed_samples(timezone.now())
    print(
        f"  fill {results['fill']}, tallies {results['tallies_s']} s, {results['samples']} samples",
        flush=True,
    )
    filled = growth_fill.described()

    phase("growth: filled database")
    stack.start_workers()
    warm_up(stack, "filled")
    results["filled"] = figures(stack, n, "filled")
    vacuum = results["autovacuum"] = {"setting": autovacuum_setting()}
    vacuum["before_endpoints_s"] = vacuum_as_autovacuum_would(vacuum["setting"])
    results["endpoints"] = time_endpoints(stack, viewer_token(), endpoint_paths(filled))
    stack.stop_workers()

    phase("growth: retention beside ingest")
    vacuum["before_retention_s"] = vacuum_as_autovacuum_would(vacuum["setting"])
    results["retention"] = retention_beside_ingest(stack, n["ingest"], rounds)
    print(f"  retention {results['retention']['kept']} kept", flush=True)
    results["sizes"] = growth_fill.sizes()
    return results


def ratio(filled: float, empty: float) -> float:
    return round(filled / max(empty, 1e-9), 3)


def wrk_name() -> str:
    return "wrk -t2 -c32" if wrk.have_wrk() else "load_test.py"
