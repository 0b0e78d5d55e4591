"""Write docs/benchmarks.md from the benchmark's results: machine, command, settings,
figures beside the targets of issue 5, and the profiles."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis

from bench.profile import Profile, py_spy
from bench.services import BENCH_REDIS_URL, PG_ADMIN_URL, SERVICE_PYTHON


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else ""
    )


def _proc_value(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    mem_kb = _proc_value("/proc/meminfo", "MemTotal").split()[0]
    with psycopg.connect(PG_ADMIN_URL) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
        max_conn = conn.execute("SHOW max_connections").fetchone()[0]
    info = redis.Redis.from_url(BENCH_REDIS_URL).info("server")
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": _proc_value("/proc/cpuinfo", "model name"),
        "RAM": f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else mem_kb,
        "kernel": platform.release(),
        "Python": sys.version.split()[0],
        "services' venv": _services_venv(),
        "PostgreSQL": f"{pg} (max_connections {max_conn})",
        "Redis": info.get("redis_version", "?"),
        "wrk": _first_line(["wrk", "-v"]) if shutil.which("wrk") else "not installed",
        "py-spy": _first_line([py_spy(), "--version"]) if py_spy() else "not installed",
    }


def _services_venv() -> str:
    if sys.executable == SERVICE_PYTHON:
        return f"the bench's own ({Path(sys.executable).parent.parent.name})"
    return f"{Path(SERVICE_PYTHON).parent.parent} (BENCH_SERVICE_PYTHON)"


def _load(values: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.1f}" for v in values)


def ms(latency: dict, *names: str) -> str:
    return " / ".join(f"{latency[name]:.1f}" for name in names) + " ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _row(scenario: str, measured: str, target: str, ok: bool | None, reference: str) -> str:
    judged = "" if ok is None else verdict(ok)
    return f"| {scenario} | {measured} | {target} | {judged} | {reference} |"


def _rate(result: dict) -> float:
    return result.get("deliveries_per_s", 0.0)


def summary_rows(r: dict) -> list[str]:
    ingest, e2e, paced, fan, iso, ceil = (
        r["ingest"], r["e2e"], r["paced"], r["fanout"], r["isolation"], r["ceilings"],
    )  # fmt: skip
    lat = ingest["latency_ms"]
    accepted = ingest["accepted_per_s"]
    mean = ceil["mean_rps"]
    ratio = ceil["ingest_to_minimal"]
    return [
        "| scenario | measured | target (2 cores) | verdict | reference implementation |",
        "|---|---|---|---|---|",
        _row(
            f"1. ingest, {ingest['requests']:,} unique signed events, c=32",
            f"**{accepted:,.0f} accepted/s**, p50/p95/p99 {ms(lat, 'p50', 'p95', 'p99')}",
            ">= 1,200/s, p99 < 50 ms",
            accepted >= 1200 and lat["p99"] < 50,
            "~100/s at c=20, p50 200 ms, p99 250 ms",
        ),
        _row(
            f"2. end to end, {e2e['ingest']['counts']['accepted']:,} events, one route",
            f"**{_rate(e2e):,.0f} deliveries/s**, ingest-to-delivered p50/p99 {_lat(e2e)}",
            ">= 500/s",
            _rate(e2e) >= 500,
            "~41/s, p50 10.6 s",
        ),
        *memory_rows(r),
        _row(
            f"2b. paced at {paced['rate']:.0f} events/s ({paced['ingest']['requests']:,} events)",
            f"ingest-to-delivered p50/p99 **{_lat(paced)}**{_budget(paced)}",
            "p50 < 15 ms, p99 < 60 ms",
            _paced_ok(paced.get("latency_ms", {})),
            "",
        ),
        _row(
            f"3. fan-out, {fan['ingest']['counts']['accepted']:,} events x "
            f"{fan['destinations']} destinations",
            f"**{_rate(fan):,.0f} deliveries/s**, p50/p99 {_lat(fan)}",
            "",
            None,
            "",
        ),
        *ratio_rows(r),
        *transformation_rows(r),
        *listener_rows(r),
        *ordered_rows(r),
        _row(
            "4. isolation: a healthy destination beside one that hangs 10 s",
            f"keeps **{iso['kept'] * 100:.0f} %** of its rate "
            f"({_rate(iso['beside_hanging']):,.0f} vs {_rate(iso['alone']):,.0f} deliveries/s)",
            ">= 80 %",
            iso["kept"] >= 0.8,
            "",
        ),
        _row(
            "5. ingest / minimal same-I/O view (one INSERT per request)",
            f"**{ratio * 100:.0f} %** ({mean['ingest']:,.0f} vs {mean['minimal']:,.0f} "
            f"requests/s; bare view {mean['bare']:,.0f}/s)",
            ">= 150 % (issue 17)",
            ratio >= 1.5,
            "bare ~7,000/s, minimal 1,600-2,000/s (4 sync workers)",
        ),
        *grouped_rows(ceil),
        *grouping_rows(r),
    ]


def memory_rows(r: dict) -> list[str]:
    """Peak RSS during scenario 2's rounds (bench/memory.py; absent from older results)."""
    peak = r.get("e2e_peak_rss_mib")
    if not peak:
        return []
    workers = [value for name, value in peak.items() if name.startswith("worker")]
    return [
        _row(
            "2. memory at the peak of end to end (RSS, sampled every 0.25 s)",
            f"web **{peak['web']:.0f} MiB** in all (gunicorn master and workers); each worker "
            f"process **{' / '.join(f'{value:.0f}' for value in workers)} MiB**",
            "web <= 250 MiB, each worker <= 160 MiB",
            peak["web"] <= 250 and max(workers, default=0) <= 160,
            "",
        )
    ]


def grouped_rows(ceil: dict) -> list[str]:
    """Issue 17, item 1: ingest against the bare and the batched view, its tail at c=32
    and a lone request's latency (absent from older results)."""
    if "ingest_to_batched" not in ceil:
        return []
    mean, p50 = ceil["mean_rps"], ceil["c1_p50_ms"]
    to_bare = ceil["ingest_to_bare"]
    return [
        _row(
            "5b. ingest / bare view",
            f"**{to_bare * 100:.0f} %** ({mean['ingest']:,.0f} vs {mean['bare']:,.0f} requests/s)",
            ">= 50 %",
            to_bare >= 0.5,
            "",
        ),
        _row(
            "5c. ingest / batched view (the same I/O grouped: the ceiling of group commit)",
            f"**{ceil['ingest_to_batched'] * 100:.0f} %** ({mean['ingest']:,.0f} vs "
            f"{mean['batched']:,.0f} requests/s)",
            "",
            None,
            "",
        ),
        _row(
            "5d. ingest p99 at c=32 (worst of the scenario 5 rounds)",
            f"**{ceil['ingest_p99_ms']:.1f} ms**",
            "< 50 ms",
            ceil["ingest_p99_ms"] < 50,
            "",
        ),
        _row(
            "5e. one request at a time (c=1), p50",
            f"ingest **{p50['ingest']:.2f} ms**; minimal {p50['minimal']:.2f}, batched "
            f"{p50['batched']:.2f}, bare {p50['bare']:.2f} ms",
            "no worse than without grouping (9.)",
            None,
            "",
        ),
    ]


def grouping_rows(r: dict) -> list[str]:
    """9. Group commit off and on, alternating rounds of one build (absent from older
    results). c=1 counts as no worse within 10 %, this machine's noise."""
    found = r.get("grouping")
    if not found:
        return []
    on, off = found["on"], found["off"]
    return [
        _row(
            f"9. ingest with group commit on vs off ({len(found['rounds']['on'])} alternating "
            "rounds each)",
            f"**{found['speedup'] * 100:.0f} %** ({on['accepted_per_s']:,.0f} vs "
            f"{off['accepted_per_s']:,.0f} accepted/s; p99 {on['p99_ms']:.1f} vs "
            f"{off['p99_ms']:.1f} ms); c=1 p50 **{on['c1_p50_ms']:.2f} vs "
            f"{off['c1_p50_ms']:.2f} ms**",
            "c=1 p50 no worse (<= 110 %)",
            found["c1_p50_ratio"] <= 1.1,
            "",
        )
    ]


def ratio_rows(r: dict) -> list[str]:
    """Issue 17, items 2 and 3: delivery beside ingest, fan-out beside one route, the
    fan-out's p99 beside its drain time (bench.scenarios.ratios, same run)."""
    from bench.scenarios import ratios

    found = ratios(r)
    rows = []
    if "e2e_to_ingest" in found:
        rows.append(
            _row(
                "2 / 1. end to end beside ingest alone (median rounds, same run)",
                f"**{found['e2e_to_ingest']:.2f}x** ({_rate(r['e2e']):,.0f} deliveries/s vs "
                f"{r['ingest']['accepted_per_s']:,.0f} accepted/s)",
                ">= 0.85x",
                found["e2e_to_ingest"] >= 0.85,
                "",
            )
        )
    if "fanout_to_single" in found:
        rows.append(
            _row(
                "3 / 2. fan-out to 10 destinations beside one route (deliveries/s)",
                f"**{found['fanout_to_single']:.2f}x** ({_rate(r['fanout']):,.0f} vs "
                f"{_rate(r['e2e']):,.0f}); p99 {found['fanout_p99_ms']:,.0f} ms vs drain "
                f"time {found['fanout_drain_ms']:,.0f} ms",
                ">= 1.5x, p99 <= drain time",
                found["fanout_to_single"] >= 1.5 and found["fanout_p99_within_drain"],
                "",
            )
        )
    return rows


def grouping_section(r: dict) -> list[str]:
    found = r.get("grouping")
    if not found:
        return []
    lines = [
        "### Group commit off and on, round by round (scenario 9)",
        "",
        "| round | grouping | accepted/s (c=32) | p50 / p99 (c=32) | p50 / p99 (c=1) |",
        "|---|---|---|---|---|",
    ]
    pairs = zip(found["rounds"]["off"], found["rounds"]["on"], strict=True)
    for i, (off, on) in enumerate(pairs, 1):
        for name, one in (("off", off), ("on", on)):
            busy, lone = one["c32"], one["c1"]
            lines.append(
                f"| {i} | {name} | {busy['accepted_per_s']:,.0f} | "
                f"{ms(busy['latency_ms'], 'p50', 'p99')} | {ms(lone['latency_ms'], 'p50', 'p99')} |"
            )
    return [*lines, ""]


def transformation_rows(r: dict) -> list[str]:
    """6. A JavaScript transformation beside passthrough (absent from older results)."""
    found = r.get("transformation")
    if not found:
        return []
    cost = found["in_process"]
    return [
        _row(
            "6. JavaScript transformation beside passthrough "
            f"({found['javascript']['ingest']['counts']['accepted']:,} events)",
            f"adds **{cost['added_p50_ms']:.3f} ms** p50 per delivery "
            f"(in process, {cost['runs']:,} runs); end to end p50 "
            f"{_lat(found['javascript'])} vs {_lat(found['passthrough'])}",
            "< 1 ms p50",
            cost["added_p50_ms"] < 1.0,
            "",
        )
    ]


def listener_rows(r: dict) -> list[str]:
    """7. 100 `relaycore listen` clients beside ingest and the API (absent from older
    results)."""
    found = r.get("listeners")
    if not found:
        return []
    idle, busy = found["without"], found["with"]
    kept, api = found["ingest_kept"], found["api_p50_ratio"]
    follow = found.get("follow", "poll")
    rows = [
        _row(
            f"7. ingest and API with 100 listeners ({follow}) vs none (alternating rounds)",
            f"ingest keeps **{kept * 100:.0f} %** ({busy['accepted_per_s']:,.0f} vs "
            f"{idle['accepted_per_s']:,.0f} accepted/s); API p50 **{api * 100:.0f} %** "
            f"({busy['api_p50_ms']:.1f} vs {idle['api_p50_ms']:.1f} ms)"
            + (
                f", p99 {found['api_p99_ratio'] * 100:.0f} % ({busy['api_p99_ms']:.1f} vs "
                f"{idle['api_p99_ms']:.1f} ms)"
                if "api_p99_ratio" in found
                else ""
            ),
            "within 10 %",
            kept >= 0.9 and api <= 1.1,
            "",
        )
    ]
    if found.get("ingest_kept_by_pair"):
        pairs = ", ".join(f"{kept * 100:.0f} %" for kept in found["ingest_kept_by_pair"])
        median = found["ingest_kept_pair_median"]
        rows.append(
            _row(
                "7. ingest kept, each listener round / the round before it",
                f"median **{median * 100:.0f} %** ({pairs})",
                "within 10 %",
                median >= 0.9,
                "",
            )
        )
    if found.get("ingest_kept_bracketed"):
        each = ", ".join(f"{kept * 100:.0f} %" for kept in found["ingest_kept_bracketed"])
        median = found["ingest_kept_bracketed_median"]
        rows.append(
            _row(
                "7. ingest kept, each listener round / the mean of the rounds on either side",
                f"median **{median * 100:.0f} %** ({each})",
                "within 10 %",
                median >= 0.9,
                "",
            )
        )
    if found.get("stream_cpu_with") is not None:
        rows.append(
            _row(
                "7. the stream process's CPU while ingest runs (share of one core)",
                f"**{found['stream_cpu_with'] * 100:.1f} %** with 100 listeners, "
                f"{found['stream_cpu_without'] * 100:.1f} % with none; the listeners' own "
                f"client process (on this machine too) {found['clients_cpu_with'] * 100:.1f}"
                f" % vs {found['clients_cpu_without'] * 100:.1f} % (the trickle alone)",
                "",
                None,
                "",
            )
        )
    if found.get("lag_p99_ms") is not None:
        lag = f"{found['lag_p50_ms']:.0f} / {found['lag_p99_ms']:.0f} ms"
        rows.append(
            _row(
                "7. listener lag, 200 to arrival (worst round's p50 / p99)",
                f"**{lag}**",
                "< 2 s",
                found["lag_p99_ms"] < 2000,
                "",
            )
        )
    return rows


def ordered_rows(r: dict) -> list[str]:
    """8. An ordered route (100 keys) beside an unordered one (absent from older results)."""
    found = r.get("ordered")
    if not found:
        return []
    ordered, unordered = found["ordered"], found["unordered"]
    return [
        _row(
            f"8. ordered by a key of {found['keys']} values beside unordered "
            f"({ordered['ingest']['counts']['accepted']:,} events each)",
            f"**{_rate(ordered):,.0f} vs {_rate(unordered):,.0f} deliveries/s** "
            f"(keeps {found['kept'] * 100:.0f} %), p50/p99 {_lat(ordered)} vs {_lat(unordered)}",
            ">= 50 %",
            found["kept"] >= 0.5,
            "",
        )
    ]


def listener_section(r: dict) -> list[str]:
    found = r.get("listeners")
    if not found:
        return []
    lines = [
        "### Listeners, round by round (scenario 7)",
        "",
        "| round | listeners | accepted/s | ingest p99 | API p50 / p99 | polls/s | "
        "held in a wait slot | stream connections | listener lag p50 / p99 / max (events) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for number, one in enumerate(found["rounds"], 1):
        api, listen = one["api"], one["listen"]
        lag = listen["lag"]
        lag_text = (
            f"{lag['p50_ms']:.0f} / {lag['p99_ms']:.0f} / {lag['max_ms']:.0f} ms ({lag['n']:,})"
            if lag.get("n")
            else ""
        )
        polled = one["listeners"] and listen.get("follow", "poll") == "poll"
        polls = f"{listen['polls_per_s']:,.0f}" if polled else ""
        held = f"{listen['waited_share'] * 100:.0f} %" if polled else ""
        cells = [
            str(number),
            str(one["listeners"]),
            f"{one['ingest']['accepted_per_s']:,.0f}",
            f"{one['ingest']['latency_ms']['p99']:.1f} ms",
            f"{api.get('p50_ms', 0):.1f} / {api.get('p99_ms', 0):.1f} ms",
            polls,
            held,
            str(listen.get("connections", "")) if one["listeners"] else "",
            lag_text if one["listeners"] else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _paced_ok(latency: dict) -> bool:
    return latency.get("p50", 1e9) < 15 and latency.get("p99", 1e9) < 60


def _budget(paced: dict) -> str:
    """Received -> routed and routed -> at the sink, p50/p99 (bench.scenarios.budget)."""
    halves = paced.get("budget_ms", {})
    if len(halves) < 2:
        return ""
    routed, sent = halves["received_to_routed"], halves["routed_to_arrived"]
    return (
        f" (received to routed {ms(routed, 'p50', 'p99')}, "
        f"routed to the sink {ms(sent, 'p50', 'p99')})"
    )


def _lat(result: dict) -> str:
    latency = result.get("latency_ms")
    return ms(latency, "p50", "p99") if latency else "n/a (nothing delivered)"


def load_row(name: str, s: dict) -> str:
    lat, c = s["latency_ms"], s["counts"]
    other = ", ".join(f"{k} x{v}" for k, v in s.get("other", {}).items())
    return (
        f"| {name} | {s['requests']:,} | {s['duration_s']:.2f} s | {s['throughput_rps']:,.0f} | "
        f"{lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} | {lat['max']:.1f} | "
        f"{c['accepted']:,} | {c['duplicate']:,} | {c['401']} | {c['429']} | {c['other']}"
        f"{' (' + other + ')' if other else ''} |"
    )


LOAD_HEADER = [
    "| run | requests | time | req/s | p50 ms | p95 ms | p99 ms | max ms | accepted | "
    "duplicate | 401 | 429 | other |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]


def load_tables(r: dict) -> list[str]:
    rows = list(LOAD_HEADER)
    for i, run in enumerate(r.get("ingest_rounds", [r["ingest"]]), 1):
        rows.append(load_row(f"1. ingest alone, round {i}{_median(run, r['ingest'])}", run))
    for i, run in enumerate(r.get("e2e_rounds", [r["e2e"]]), 1):
        name = f"2. end to end (ingest side), round {i}{_median(run, r['e2e'])}"
        rows.append(load_row(name, run["ingest"]))
    rows.append(load_row("2b. paced (ingest side)", r["paced"]["ingest"]))
    rows.append(load_row("3. fan-out (ingest side)", r["fanout"]["ingest"]))
    rows.append(load_row("4. healthy alone (ingest side)", r["isolation"]["alone"]["ingest"]))
    rows.append(
        load_row("4. beside hanging (ingest side)", r["isolation"]["beside_hanging"]["ingest"])
    )
    for name, runs in r["ceilings"]["runs"].items():
        for i, run in enumerate(runs, 1):
            rows.append(load_row(f"5. {name} view, round {i}", run))
    for name, run in r["ceilings"].get("c1", {}).items():
        rows.append(load_row(f"5. {name} view, c=1", run))
    return rows


def _median(run: dict, chosen: dict) -> str:
    return " (median, reported above)" if run is chosen else ""


def delivery_rows(r: dict) -> list[str]:
    rows = [
        "| run | delivered | window | deliveries/s | p50 | p99 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    e2e = [
        (f"2. end to end, round {i}{_median(run, r['e2e'])}", run)
        for i, run in enumerate(r.get("e2e_rounds", [r["e2e"]]), 1)
    ]
    for name, result in (
        *e2e,
        ("2b. paced", r["paced"]),
        ("3. fan-out", r["fanout"]),
        ("4. healthy alone", r["isolation"]["alone"]),
        ("4. healthy beside hanging", r["isolation"]["beside_hanging"]),
    ):
        lat = result.get("latency_ms", {"p50": 0, "p99": 0, "max": 0})
        rows.append(
            f"| {name} | {result.get('delivered', 0):,} | {result.get('window_s', 0):.1f} s | "
            f"{result.get('deliveries_per_s', 0):,.0f} | {lat['p50']:,.1f} ms | "
            f"{lat['p99']:,.1f} ms | {lat['max']:,.1f} ms |"
        )
    return rows


def cost_rows(r: dict) -> list[str]:
    """Scenario 2's costs, counted (bench/costs.py): comparable across loaded runs."""
    rows = [
        "| round | web CPU / event | worker CPU / delivery | commits / delivery "
        "| rows written / delivery | rows fetched / delivery |",
        "|---|---|---|---|---|---|",
    ]
    for i, run in enumerate(r.get("e2e_rounds", [r["e2e"]]), 1):
        c = run.get("costs")
        if c:
            rows.append(
                f"| {i} | {c['web_cpu_ms_per_event']:.2f} ms | "
                f"{c['worker_cpu_ms_per_delivery']:.2f} ms | {c['commits_per_delivery']:.2f} | "
                f"{c['rows_written_per_delivery']:.2f} | {c['rows_fetched_per_delivery']:.2f} |"
            )
    return rows


def profile_section(title: str, profile: Profile) -> list[str]:
    lines = [f"### {title}", ""]
    if profile.error or not profile.samples:
        return [*lines, f"No profile: {profile.error or 'no samples'}", ""]
    lines += [f"{profile.samples:,} samples.", "", "Self time by package:", ""]
    lines += ["| package | self % |", "|---|---|"]
    lines += [f"| {name} | {pct:.1f} |" for name, pct in profile.top(profile.self_by_package, 15)]
    lines += ["", "Functions by inclusive time (the scaffolding above 95 % left out):", ""]
    lines += ["| function | inclusive % |", "|---|---|"]
    shown = [(n, p) for n, p in profile.top(profile.inclusive, 80) if p < 95][:25]
    lines += [f"| `{name}` | {pct:.1f} |" for name, pct in shown]
    lines += ["", "Hottest functions by self time:", "", "| function | self % |", "|---|---|"]
    lines += [f"| `{n}` | {p:.1f} |" for n, p in profile.top(profile.self_by_function, 15)]
    return [*lines, ""]


def client_rows(found: dict) -> list[str]:
    return [*LOAD_HEADER, *(load_row(name, s) for name, s in found.items())]


def write_report(r: dict, output: Path, argv: list[str], quick: bool) -> None:
    t = r["tuning"]
    command = "make bench" if not quick else "make bench BENCH_ARGS=--quick"
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (`{' '.join(['python -m bench', *argv[1:]])}`, bench/__main__.py)"
        f" on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
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
        "The machine is shared: other work running at the same time (visible in the load "
        "average above; this benchmark alone keeps it near 2-3) lowers every figure.",
        "",
        "## What ran",
        "",
        "The production profile, every process on this one machine (load client included):",
        "",
        f"- gunicorn (`relaycore/gunicorn_conf.py`, gthread): WEB_CONCURRENCY={t['web_workers']}, "
        f"WEB_THREADS={t['web_threads']}; access log off.",
        f"- Celery: {t['celery_workers']} worker process(es), threads pool, "
        f"WORKER_CONCURRENCY={t['celery_threads']}, `-l warning`; one Beat (DatabaseScheduler).",
        f"- LOG_LEVEL={t['log_level']}; PostgreSQL database `relaycore_bench` on the machine's "
        "server (CONN_MAX_AGE 600); Redis database 9 on the machine's server.",
        "- Sources: `github` scheme (HMAC-SHA256 of the body), X-GitHub-Delivery as idempotency "
        "key, a per-source rate limit high enough never to refuse (so its Redis script runs).",
        "- Load: wrk -t2 -c32 replaying pre-signed unique requests (bench/presigned.lua) when "
        "wrk is installed, else load_test.py in two processes; 2b: load_test.py paced at 100/s.",
        "- Destinations: bench/sink.py (asyncio) on 127.0.0.1, passthrough transformer. "
        "Ingest-to-delivered = the sink's arrival time minus the event's received_at.",
        "- Phase A (scenario 1) runs gunicorn alone: the events queue up unrouted. Phase C (5) "
        "runs gunicorn alone with bench.settings (ROOT_URLCONF bench.urls: the reference views "
        "beside the real ingest URL, same middleware); each measured twice, means compared, "
        "then each alone at c=1. Scenario 9 restarts gunicorn for each round, with "
        "INGEST_GROUP_COMMIT off and on in turn.",
        f"- Scenarios 1 and 2 run {len(r.get('ingest_rounds', [1]))} and "
        f"{len(r.get('e2e_rounds', [1]))} rounds; the results give the median round (runs "
        "on this kind of machine differ by about 15 %), the tables below list every round.",
        "",
        "## Results",
        "",
        *summary_rows(r),
        "",
        *listener_section(r),
        *grouping_section(r),
        "### Load, as the clients saw it",
        "",
        *load_tables(r),
        "",
        "### Deliveries, as the sink saw them",
        "",
        *delivery_rows(r),
        "",
        "What each round of scenario 2 cost the server, counted (CPU seconds of the "
        "gunicorn and Celery processes from /proc, the database's commits and row "
        "operations from pg_stat_database): these move little with the machine's load.",
        "",
        *cost_rows(r),
        "",
        "### The load clients' own ceiling (against a server that answers at once)",
        "",
        *client_rows(r["client"]),
        "",
        "## Profiles",
        "",
        "py-spy, sampling from outside at 250 Hz (non-blocking) during an extra run.",
        "",
        *profile_section("Ingest, every busy thread (gunicorn, phase A)", r["ingest_profile"]),
        *profile_section(
            "Ingest, the thread holding the GIL: Python CPU (gunicorn, phase A)",
            r["ingest_profile_gil"],
        ),
        *profile_section("Delivery (one Celery worker, phase B)", r["worker_profile"]),
    ]
    output.write_text("\n".join(lines) + "\n")


def growth_rows(g: dict) -> list[str]:
    """Issue 17, item 5: the filled database against the empty one of the same run."""
    empty, filled, ret = g["empty"], g["filled"], g["retention"]
    ingest = filled["ingest"]["accepted_per_s"] / max(empty["ingest"]["accepted_per_s"], 1e-9)
    e2e = _rate(filled["e2e"]) / max(_rate(empty["e2e"]), 1e-9)
    rows = [
        "| figure | measured | target | verdict |",
        "|---|---|---|---|",
        f"| ingest, filled / empty | **{ingest * 100:.0f} %** "
        f"({filled['ingest']['accepted_per_s']:,.0f} vs {empty['ingest']['accepted_per_s']:,.0f}"
        f" accepted/s) | >= 90 % | {verdict(ingest >= 0.9)} |",
        f"| end to end, filled / empty | **{e2e * 100:.0f} %** ({_rate(filled['e2e']):,.0f} vs "
        f"{_rate(empty['e2e']):,.0f} deliveries/s) | >= 90 % | {verdict(e2e >= 0.9)} |",
        f"| ingest beside retention / alone | **{ret['kept'] * 100:.0f} %** "
        f"({ret['accepted_per_s']['beside']:,.0f} vs {ret['accepted_per_s']['alone']:,.0f} "
        f"accepted/s; {ret['purged']:,} payloads purged meanwhile, "
        f"{ret['purged_per_s']:,.0f}/s) | >= 90 % | {verdict(ret['kept'] >= 0.9)} |",
    ]
    if "kept_plain" in ret:
        rows.append(
            f"| the same, the purge's WAL not compressed (`RETENTION_COMPRESS_WAL=false`, "
            f"rounds in turn) | {ret['kept_plain'] * 100:.0f} % "
            f"({ret['accepted_per_s'].get('beside_plain', 0):,.0f} accepted/s, "
            f"{ret['purged_per_s_plain']:,.0f} purged/s) | | |"
        )
    for name, found in g["endpoints"].items():
        ok = found["status"] == 200 and found["p95_ms"] < 150
        rows.append(
            f"| `GET {found['path'][:70]}` ({name}) | p50 {found['p50_ms']:.0f} ms, "
            f"**p95 {found['p95_ms']:.0f} ms** (HTTP {found['status']}) | p95 < 150 ms "
            f"| {verdict(ok)} |"
        )
    return rows


def _autovacuum_line(g: dict) -> str:
    vacuum = g.get("autovacuum", {})
    if vacuum.get("setting") != "off":
        return f"PostgreSQL's autovacuum: {vacuum.get('setting', 'not read')}."
    return (
        "PostgreSQL's autovacuum: **off** on this server (its own configuration), where a "
        "deployment has it on and migration 0021 sets the thresholds of the growing tables: "
        "the scenario ran VACUUM (ANALYZE) on them where autovacuum would have, before the "
        f"endpoints ({vacuum.get('before_endpoints_s')} s) and before the retention rounds "
        f"({vacuum.get('before_retention_s')} s)."
    )


def write_growth_report(g: dict, output: Path, argv: list[str]) -> None:
    fill = g["fill"]
    lines = [
        "# Growth benchmark (issue 17, item 5)",
        "",
        f"Written by `{' '.join(['python -m bench', *argv[1:]])}` (bench/growth.py) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine().items()),
        f"| load average (1/5/15 min) at the end | {_load(os.getloadavg())} |",
        "",
        f"Filled with {g['events']:,} events, their outcomes and attempts "
        f"(bench/growth_fill.py): events {fill['events_s']} s, outcomes {fill['outcomes_s']} s, "
        f"attempts {fill['attempts_s']} s, VACUUM ANALYZE {fill['vacuum_analyze_s']} s; the "
        f"metric tallies folded through it in {g['tallies_s']} s. Sizes: "
        + ", ".join(f"{k} {v}" for k, v in g["sizes"].items())
        + ".",
        "",
        "Ingest: wrk -t2 -c32 (or load_test.py) over pre-signed unique requests, as in "
        "`make bench`; endpoints: 30 sequential requests each after one warm-up, with a "
        "viewer's API token, against gunicorn, right after end to end (workers and Beat idle "
        "but running).",
        "",
        _autovacuum_line(g),
        "",
        *growth_rows(g),
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n")
