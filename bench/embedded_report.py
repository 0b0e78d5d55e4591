"""Write docs/benchmarks-embedded.md from `--profile embedded` results (bench/embedded.py):
the figures beside the targets of issue 17, item 7, every round, and the processes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bench.report import LOAD_HEADER, _lat, _load, _rate, load_row, machine, ms, verdict

PSS_TARGET_MB = 250.0


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def summary_rows(r: dict) -> list[str]:
    rows = ["| scenario | measured | target (2 cores) | verdict |", "|---|---|---|---|"]

    def row(scenario: str, measured: str, target: str, ok: bool | None) -> None:
        judged = "" if ok is None else verdict(ok)
        rows.append(f"| {scenario} | {measured} | {target} | {judged} |")

    ingest = r.get("ingest")
    production = r.get("production_ingest")
    if ingest:
        accepted, lat = ingest["accepted_per_s"], ingest["latency_ms"]
        needed = max(600.0, 0.5 * production["accepted_per_s"]) if production else 600.0
        beside = ""
        if production:
            beside = (
                f"; **{_ratio(accepted, production['accepted_per_s']):.2f}x** the production "
                f"profile's {production['accepted_per_s']:,.0f}/s of the same run"
            )
        row(
            f"ingest, {ingest['requests']:,} unique signed events, c=32",
            f"**{accepted:,.0f} accepted/s**, p50/p99 {ms(lat, 'p50', 'p99')}{beside}",
            f"p99 < 100 ms and >= {needed:,.0f}/s (600/s or 0.5x production, the higher)",
            lat["p99"] < 100 and accepted >= needed,
        )
    single = r.get("single")
    if single:
        row(
            f"a lone client, c=1, {single['requests']:,} events",
            f"p50 **{single['latency_ms']['p50']:.1f} ms**, "
            f"p99 {single['latency_ms']['p99']:.1f} ms",
            "",
            None,
        )
    e2e = r.get("e2e")
    if e2e and ingest:
        ratio = _ratio(_rate(e2e), ingest["accepted_per_s"])
        row(
            f"end to end, {e2e['ingest']['counts']['accepted']:,} events, one route",
            f"**{_rate(e2e):,.0f} deliveries/s** = **{ratio:.2f}x** its own ingest; "
            f"ingest-to-delivered p50/p99 {_lat(e2e)}",
            ">= 0.85x ingest",
            ratio >= 0.85,
        )
    for key, when in (("pss_at_rest", "after the warm-up"), ("pss_after_load", "after the load")):
        if r.get(key):
            found = r[key]
            row(
                f"PSS of the whole stack at rest, {when}",
                f"**{found['total_mb']:,.0f} MB** over {len(found['processes'])} processes",
                f"< {PSS_TARGET_MB:.0f} MB",
                found["total_mb"] < PSS_TARGET_MB,
            )
    return rows


def process_rows(found: dict) -> list[str]:
    rows = ["| pid | process | PSS |", "|---|---|---|"]
    for p in found["processes"]:
        rows.append(f"| {p['pid']} | `{p['command']}` | {p['pss_mb']:.1f} MB |")
    return [*rows, f"| | **total** | **{found['total_mb']:.1f} MB** |"]


def load_rows(r: dict) -> list[str]:
    rows = list(LOAD_HEADER)
    beside = r.get("production_ingest_rounds", [])
    for i, run in enumerate(r.get("ingest_rounds", []), 1):
        rows.append(load_row(f"embedded ingest, round {i}", run))
        if i <= len(beside):
            rows.append(load_row(f"production ingest, round {i}", beside[i - 1]))
    if r.get("single"):
        rows.append(load_row("embedded, c=1", r["single"]))
    for i, run in enumerate(r.get("e2e_rounds", []), 1):
        rows.append(load_row(f"embedded end to end (ingest side), round {i}", run["ingest"]))
    return rows


def delivery_rows(r: dict) -> list[str]:
    rows = ["| run | delivered | window | deliveries/s | p50 / p99 |", "|---|---|---|---|---|"]
    for i, run in enumerate(r.get("e2e_rounds", []), 1):
        rows.append(
            f"| end to end, round {i} | {run.get('delivered', 0):,} | "
            f"{run.get('window_s', 0):.1f} s | {_rate(run):,.0f} | {_lat(run)} |"
        )
    return rows


def write_report(r: dict, output: Path, argv: list[str], quick: bool) -> None:
    n = len(r.get("ingest_rounds", []))
    lines = [
        "# Benchmarks of the embedded profile",
        "",
        f"Written by `python -m bench {' '.join(argv[1:])}` (bench/embedded.py) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        + (" **Quick run: a tenth of the counts; not the figures of record.**" if quick else ""),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine().items()),
        f"| load average (1/5/15 min) before / after | {_load(r['load_before'])} / "
        f"{_load(r.get('load_after', r['load_before']))} |",
        "",
        "## What ran",
        "",
        "- `make run`'s own supervisor, scripts/run.py, with its defaults (no WEB_CONCURRENCY, "
        "WEB_THREADS or WORKER_CONCURRENCY set): SQLite and the bundled Redis in a temporary "
        f"var dir; DJANGO_SETTINGS_MODULE={r['settings_module']}"
        + "".join(f", {k}={v}" for k, v in r.get("settings", {}).items())
        + "; access log off and "
        "LOG_LEVEL=WARNING, as in the production run.",
        "- Ingest: wrk over pre-signed unique requests to a source with no route, with the "
        "whole stack up (make run's worker routes the events as they come). "
        f"{n} rounds, alternating with the production profile's scenario 1 (gunicorn "
        "2 x 8 on PostgreSQL, no worker) when it ran beside; the median round of each is "
        "reported.",
        "- End to end: one route to bench/sink.py; deliveries/s from the first event's "
        "receipt to the last arrival.",
        "- PSS: /proc/PID/smaps_rollup of every process under the supervisor, itself "
        "included (bench/memory.py), after a 200-event warm-up and again after the load, "
        "each after 5 s at rest.",
        "",
        "## Results",
        "",
        *summary_rows(r),
        "",
        "### Load, as the clients saw it",
        "",
        *load_rows(r),
        "",
        "### Deliveries, as the sink saw them",
        "",
        *delivery_rows(r),
        "",
    ]
    for key, title in (("pss_at_rest", "after the warm-up"), ("pss_after_load", "after the load")):
        if r.get(key):
            lines += [f"### The stack's processes at rest, {title}", "", *process_rows(r[key]), ""]
    output.write_text("\n".join(lines) + "\n")
