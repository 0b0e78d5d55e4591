"""`make bench`: start the production profile on this machine, measure, write the report.

    .venv/bin/python -m bench            # the figures of issue 5, about 8 minutes
    .venv/bin/python -m bench --quick    # every scenario at a tenth of the counts

Uses the machine's PostgreSQL (127.0.0.1:5432, user postgres) with its own database
`relaycore_bench`, created and dropped here, and the machine's Redis with database 9,
flushed here (override with BENCH_PG_ADMIN_URL / BENCH_DB / BENCH_REDIS_URL). BENCH_ROOT
names another checkout to run the services of (an older commit, measured by this code).
Phases:

  A  gunicorn alone (no worker): 1. ingest, 7. listeners (0 vs 100 `relaycore listen`
     clients, alternating), then a py-spy profile of ingest
  B  + Celery workers and Beat: 2. end to end, 2b. paced latency, 3. fan-out,
     6. transformation, 8. ordered beside unordered, a profile of a worker,
     4. isolation (last: its hanging deliveries linger)
  C  workers stopped, gunicorn on bench.settings: 5. ceilings (c=32 and c=1), 9. group
     commit off and on in alternating rounds; the clients' own ceiling

The report goes to docs/benchmarks.md (--quick: var/benchmarks-quick.md).

    .venv/bin/python -m bench --profile embedded   # make run's stack (bench/embedded.py)

measures the embedded profile instead, beside the production profile's ingest, and
writes docs/benchmarks-embedded.md (--quick: var/benchmarks-embedded-quick.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import memory
from bench.services import ROOT, Stack, Tuning, flush_redis, recreate_database

FULL = {
    "ingest": 20_000,
    "e2e": 10_000,
    "paced": 3_000,
    "fanout": 1_000,
    "transformation": 3_000,
    "ordered": 3_000,
    "isolation": 2_000,
    "ceiling": 20_000,
    "grouping": 10_000,
    "profile": 10_000,
    "client": 20_000,
    "listeners": 20_000,
    "growth": 5_000_000,  # events filled by --only growth (bench/growth.py)
}


def parse_args() -> argparse.Namespace:
    defaults = Tuning()
    parser = argparse.ArgumentParser(description="RelayCore benchmark (issue 5)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts (smoke run)")
    parser.add_argument("--output", type=Path, help="report path")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of scenarios 1 and 2; the median round is reported (default 3)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios to run (ingest, listeners, e2e, paced, fanout, "
        "transformation, ordered, isolation, ceilings, grouping), printed only: no "
        "profiles, no report. For work on one figure. `growth` alone is a run of its own (5 "
        "million events times --scale; bench/growth.py) and writes its report.",
    )
    parser.add_argument(
        "--spy",
        type=Path,
        help="with --only: sample the first Celery worker with py-spy (all busy threads "
        "and --gil) during end to end's first round and the fan-out, raw stacks and a "
        "digest written to this directory",
    )
    parser.add_argument(
        "--web-workers", type=int, default=_env_int("WEB_CONCURRENCY", defaults.web_workers)
    )
    parser.add_argument(
        "--web-threads", type=int, default=_env_int("WEB_THREADS", defaults.web_threads)
    )
    parser.add_argument(
        "--profile",
        choices=("production", "embedded"),
        default="production",
        help="embedded: make run's processes on SQLite and the bundled Redis (bench/embedded.py)",
    )
    parser.add_argument(
        "--embedded-settings",
        default="relaycore.settings",
        help="--profile embedded: the stack's DJANGO_SETTINGS_MODULE (e.g. bench.sqlite_normal)",
    )
    parser.add_argument(
        "--embedded-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="--profile embedded: a setting for the stack (e.g. WORKER_CONCURRENCY=8); repeatable",
    )
    parser.add_argument(
        "--no-production",
        action="store_true",
        help="--profile embedded: skip the production profile's ingest rounds beside it",
    )
    parser.add_argument("--celery-workers", type=int, default=defaults.celery_workers)
    parser.add_argument(
        "--celery-threads",
        type=int,
        default=_env_int("WORKER_CONCURRENCY", defaults.celery_threads),
    )
    return parser.parse_args()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


def counts(quick: bool, scale: float = 1.0) -> dict[str, int]:
    scale = 0.1 if quick else scale
    return {name: max(int(count * scale), 100) for name, count in FULL.items()}


def setup_django(stack: Stack) -> None:
    """This process reads and writes the benchmark database through the ORM too."""
    os.environ.update(stack.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def phase(title: str) -> None:
    print(f"== {title}", flush=True)


def run(args: argparse.Namespace) -> dict:
    tuning = Tuning(args.web_workers, args.web_threads, args.celery_workers, args.celery_threads)
    n = counts(args.quick, args.scale)
    stack = Stack(tuning)
    recreate_database()
    flush_redis()
    setup_django(stack)
    stack.migrate()
    from bench import profile, scenarios

    results: dict = {"counts": n, "tuning": tuning.__dict__, "load_before": os.getloadavg()}
    results["rounds"] = args.rounds
    only = {name for name in args.only.split(",") if name}
    if "growth" in only:
        return _growth(stack, args, n)

    def want(name: str) -> bool:
        return not only or name in only

    spool = Path(tempfile.mkdtemp(prefix="rc-bench-profile-"))
    try:
        stack.start_sink()
        stack.start_web()
        phase("A: ingest alone")
        if want("ingest"):
            rounds = [
                scenarios.timed(
                    lambda i=i: scenarios.ingest_only(stack, n["ingest"], f"ingest-{i}")
                )
                for i in range(1, args.rounds + 1)
            ]
            results["ingest_rounds"] = rounds
            results["ingest"] = scenarios.median_round(rounds, lambda r: r["accepted_per_s"])
            print(json.dumps(results["ingest"]), flush=True)
        if want("listeners"):
            results["listeners"] = scenarios.timed(
                lambda: scenarios.listeners(stack, n["listeners"], max(2, args.rounds))
            )
            print("listeners", json.dumps(results["listeners"]), flush=True)
        for key, gil in (("ingest_profile", False), ("ingest_profile_gil", True)) * (not only):
            source = scenarios.make_source(key.replace("_", "-"))
            results[key] = profile.profile_while(
                stack.web.proc.pid,
                lambda slug=source.slug: scenarios.wrk.send(
                    scenarios.plan(stack, slug, n["profile"]), 32
                ),
                spool / f"{key}.txt",
                gil=gil,
            )
        scenarios.reset_events()
        flush_redis()

        phase("B: with Celery workers")
        stack.start_workers()
        warm_up(stack, scenarios)

        def worker_step(name: str, step):
            """`step` timed, with each service's CPU seconds, sampled when --spy asks."""
            return lambda: spied(stack, name, lambda: scenarios.timed(step), args.spy)

        if want("e2e"):
            with memory.PeakRss(memory_groups(stack)) as peak:
                rounds = [
                    worker_step(
                        f"e2e-{i}" if i == 1 else "",
                        lambda i=i: scenarios.end_to_end(stack, n["e2e"], f"e2e-{i}"),
                    )()
                    for i in range(1, args.rounds + 1)
                ]
            results["e2e_rounds"] = rounds
            results["e2e"] = scenarios.median_round(rounds, lambda r: r.get("deliveries_per_s", 0))
            results["e2e_peak_rss_mib"] = peak.mib()
            print("e2e", json.dumps(results["e2e"]), flush=True)
            print("peak RSS (MiB)", json.dumps(results["e2e_peak_rss_mib"]), flush=True)
        for name, step in (
            ("paced", lambda: scenarios.paced(stack, n["paced"])),
            ("fanout", lambda: scenarios.fan_out(stack, n["fanout"])),
            ("transformation", lambda: scenarios.transformation(stack, n["transformation"])),
            ("ordered", lambda: scenarios.ordered(stack, n["ordered"])),
        ):
            if want(name):
                results[name] = worker_step(name if name in ("fanout", "ordered") else "", step)()
                print(name, json.dumps(results[name]), flush=True)
        if only:
            return _only(stack, scenarios, results, n, want)
        worker_source = scenarios.make_source("profile-worker")
        scenarios.make_route(worker_source, f"{stack.sink_url}/profile-worker", "profile-worker")
        results["worker_profile"] = profile.profile_while(
            stack.workers[0].proc.pid,
            lambda: (
                scenarios.wrk.send(scenarios.plan(stack, "profile-worker", n["e2e"] // 2), 32),
                scenarios.wait_for_sink(stack, "/profile-worker", n["e2e"] // 2),
            ),
            spool / "worker.txt",
        )
        results["isolation"] = scenarios.timed(lambda: scenarios.isolation(stack, n["isolation"]))
        print("isolation", json.dumps(results["isolation"]), flush=True)
        stack.stop_workers()

        phase("C: ceilings")
        stack.stop_web()
        scenarios.reset_events()
        flush_redis()
        stack.start_web("bench.settings")
        results["ceilings"] = scenarios.timed(lambda: scenarios.ceilings(stack, n["ceiling"]))
        print("ceilings", json.dumps(_ceiling_figures(results["ceilings"])), flush=True)
        results["grouping"] = scenarios.timed(lambda: scenarios.grouping(stack, n["grouping"]))
        print("grouping", json.dumps(_grouping_figures(results["grouping"])), flush=True)
        results["client"] = scenarios.client_ceilings(n["client"])
        results["load_after"] = os.getloadavg()
    except BaseException:
        logs = ", ".join(f"{s.name}: {s.log}" for s in stack.started)
        print(f"benchmark failed; service logs: {logs}; profiles: {spool}", file=sys.stderr)
        raise
    finally:
        tear_down(stack)
    stack.remove_logs()
    shutil.rmtree(spool, ignore_errors=True)
    return results


def _growth(stack: Stack, args: argparse.Namespace, n: dict) -> dict:
    from bench import growth

    stack.env.update(METRICS_TOKEN=growth.METRICS_TOKEN, RETENTION_DAYS="0")
    try:
        stack.start_sink()
        stack.start_web()
        events = int(FULL["growth"] * (0.1 if args.quick else args.scale))
        return {"growth": growth.run(stack, n, events, max(2, args.rounds))}
    except BaseException:
        logs = ", ".join(f"{s.name}: {s.log}" for s in stack.started)
        print(f"benchmark failed; service logs: {logs}", file=sys.stderr)
        raise
    finally:
        tear_down(stack)


def _only(stack: Stack, scenarios, results: dict, n: dict, want) -> dict:
    """The rest of an --only run: isolation and the ceilings, when asked for, then the
    ratios of issue 17 that the run has."""
    if want("isolation"):
        results["isolation"] = scenarios.timed(lambda: scenarios.isolation(stack, n["isolation"]))
        print("isolation", json.dumps(results["isolation"]), flush=True)
    stack.stop_workers()
    if want("ceilings") or want("grouping"):
        stack.stop_web()
        stack.start_web("bench.settings")
    if want("ceilings"):
        results["ceilings"] = scenarios.timed(lambda: scenarios.ceilings(stack, n["ceiling"]))
        print("ceilings", json.dumps(_ceiling_figures(results["ceilings"])), flush=True)
    if want("grouping"):
        rounds = max(2, results["rounds"])
        results["grouping"] = scenarios.timed(
            lambda: scenarios.grouping(stack, n["grouping"], rounds)
        )
        print("grouping", json.dumps(_grouping_figures(results["grouping"])), flush=True)
    results["ratios"] = scenarios.ratios(results)
    rates = {
        "ingest accepted/s": [r["accepted_per_s"] for r in results.get("ingest_rounds", [])],
        "e2e deliveries/s": [r.get("deliveries_per_s") for r in results.get("e2e_rounds", [])],
        "cpu_s": {k: results[k]["cpu_s"] for k in ("e2e", "fanout") if k in results},
    }
    print("rounds", json.dumps(rates), flush=True)
    print("ratios", json.dumps(results["ratios"]), flush=True)
    return results


def memory_groups(stack: Stack) -> dict[str, list[int]]:
    """gunicorn (master and workers, summed) and each Celery worker process."""
    groups = {"web": [stack.web.proc.pid]}
    for number, worker in enumerate(stack.workers):
        groups[f"worker {number}"] = [worker.proc.pid]
    return groups


def spied(stack: Stack, name: str, step, spy: Path | None) -> dict:
    """Run a phase-B scenario; add the CPU seconds each service used during it, and when
    `spy` is a directory and `name` is set, py-spy samples of the first worker."""
    from bench import profile

    pids = {"web": stack.web.proc.pid, **{w.name: w.proc.pid for w in stack.workers}}
    before = {key: profile.cpu_seconds(pid) for key, pid in pids.items()}
    if spy and name:
        spy.mkdir(parents=True, exist_ok=True)
        outs = {spy / f"{name}.raw": False, spy / f"{name}-gil.raw": True}
        found: dict = {}
        profiles = profile.profile_modes(
            stack.workers[0].proc.pid, lambda: found.update(step()), outs
        )
        for out, prof in profiles.items():
            out.with_suffix(".txt").write_text(profile.summary(prof) + "\n")
            print(f"profile written to {out.with_suffix('.txt')}", flush=True)
        result = found
    else:
        result = step()
    result["cpu_s"] = {
        key: round(profile.cpu_seconds(pid) - before[key], 1) for key, pid in pids.items()
    }
    return result


def _ceiling_figures(found: dict) -> dict:
    keys = ("mean_rps", "ingest_to_minimal", "ingest_to_bare", "ingest_to_batched")
    return {
        **{key: found[key] for key in keys},
        "ingest_p99_ms": found["ingest_p99_ms"],
        "c1_p50_ms": found["c1_p50_ms"],
    }


def _grouping_figures(found: dict) -> dict:
    return {key: found[key] for key in ("off", "on", "speedup", "c1_p50_ratio")}


def tear_down(stack: Stack) -> None:
    """Stop every service, then drop the database and empty the Redis database."""
    from django.db import connections

    from bench.services import drop_database

    stack.stop_all()
    connections.close_all()
    drop_database()
    flush_redis()


def warm_up(stack: Stack, scenarios) -> None:
    """Connections, pools and imports warm, and proof the workers consume, before timing."""
    source = scenarios.make_source("warm-up")
    scenarios.make_route(source, f"{stack.sink_url}/warm-up", "warm-up")
    scenarios.wrk.run_python(scenarios.plan(stack, "warm-up", 200), 8, processes=1)
    if scenarios.wait_for_sink(stack, "/warm-up", 200, limit=120) < 200:
        raise RuntimeError("the workers did not deliver the warm-up events")


def main() -> int:
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)  # Celery puts the working directory first on sys.path: ROOT's apps win
    if args.profile == "embedded":
        return main_embedded(args)
    results = run(args)
    if "growth" in results:
        from bench.report import write_growth_report

        output = args.output or ROOT / "var" / "benchmarks-growth.md"
        write_growth_report(results["growth"], output, sys.argv)
        print(f"report written to {output}")
        return 0
    if args.only:
        return 0
    from bench.report import write_report

    output = args.output or (
        ROOT / "var" / "benchmarks-quick.md" if args.quick else ROOT / "docs" / "benchmarks.md"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    write_report(results, output, sys.argv, args.quick)
    print(f"report written to {output}")
    return 0


def main_embedded(args: argparse.Namespace) -> int:
    from bench import embedded
    from bench.embedded_report import write_report

    # Half the counts: SQLite at a few hundred events/s would take the full ones past
    # ten minutes.
    n = {name: max(count // 2, 100) for name, count in counts(args.quick, args.scale).items()}
    results = embedded.run(args, n)
    if args.only:
        print(json.dumps(results, default=str))
        return 0
    name = "benchmarks-embedded-quick.md" if args.quick else "benchmarks-embedded.md"
    output = args.output or (ROOT / ("var" if args.quick else "docs") / name)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_report(results, output, sys.argv, args.quick)
    print(f"report written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
