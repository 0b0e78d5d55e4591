"""Drive wrk over pre-signed requests, with load_test.py as the fallback.

wrk (C, one epoll loop per thread) costs a fraction of the CPU a Python client does,
and on a two-core machine the client shares the CPU with the server it measures; so
wrk is used whenever it is installed (`apt-get install wrk`), and load_test.py with
several processes otherwise. Both answer the same summary dict as load_test.py.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from load_test import Job, Plan, run_job, summarise

LUA = Path(__file__).resolve().parent / "presigned.lua"
WRK_THREADS = 2


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def write_requests(plan: Plan, count: int, path: Path) -> None:
    """One line per request, as presigned.lua reads them: path, headers, body."""
    plan = replace(plan, requests=count)  # the spares get keys of their own too
    target = urlsplit(plan.url).path
    with path.open("w") as out:
        for i in range(count):
            body, headers = plan.prepare(i)
            fields = [target, *(f"{name}: {value}" for name, value in headers.items())]
            out.write("\t".join([*fields, body.decode()]) + "\n")


def run_wrk(plan: Plan, concurrency: int, timeout: float = 600.0) -> dict:
    """Send plan.requests requests at `concurrency` connections; the summary of answers."""
    workdir = Path(tempfile.mkdtemp(prefix="rc-wrk-"))
    requests_file, marker = workdir / "requests.tsv", workdir / "done"
    # A few spare requests per connection: those in flight when a thread stops are
    # sent but never counted, and must not repeat (they would answer "duplicate").
    write_requests(plan, plan.requests + concurrency * 2, requests_file)
    marker.touch()
    threads = min(WRK_THREADS, concurrency)  # wrk needs a connection per thread
    quota = plan.requests // threads
    parts = urlsplit(plan.url)
    command = [
        "wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{int(timeout)}s",
        "--timeout", "30s", "-s", str(LUA), f"{parts.scheme}://{parts.netloc}/",
        "--", str(requests_file), str(threads), str(quota), str(marker),
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if len(marker.read_text().split()) >= threads:
            proc.send_signal(signal.SIGINT)  # every thread is done: print the summary now
            break
        time.sleep(0.05)
    output = proc.communicate(timeout=60)[0]
    shutil.rmtree(workdir, ignore_errors=True)
    return parse_wrk(output, concurrency, threads)


def parse_wrk(output: str, concurrency: int, threads: int = WRK_THREADS) -> dict:
    line = next((row for row in output.splitlines() if row.startswith("WRK_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    raw = json.loads(line.removeprefix("WRK_RESULT "))
    counts = {
        "accepted": raw["accepted"],
        "duplicate": raw["duplicate"],
        "401": raw["unauthorised"],
        "429": raw["limited"],
        "other": raw["other"],
    }
    answered = sum(counts.values())
    duration = max(raw["finished"] - raw["started"], 1e-9)
    return {
        "requests": answered,
        "duration_s": round(duration, 3),
        "throughput_rps": round(answered / duration, 1),
        "accepted_per_s": round(counts["accepted"] / duration, 1),
        "latency_ms": {
            "p50": raw["p50_us"] / 1000,
            "p95": raw["p95_us"] / 1000,
            "p99": raw["p99_us"] / 1000,
            "max": raw["max_us"] / 1000,
        },
        "counts": counts,
        "other": {"socket errors": raw["socket_errors"]} if raw["socket_errors"] else {},
        "concurrency": concurrency,
        "client": f"wrk -t{threads} -c{concurrency}",
    }


def run_python(plan: Plan, concurrency: int, processes: int = 2, rate: float | None = None) -> dict:
    summary = summarise(run_job(Job(plan, concurrency, processes, rate)))
    summary["concurrency"] = concurrency
    summary["client"] = f"load_test.py --processes {processes} --concurrency {concurrency}"
    return summary


def send(plan: Plan, concurrency: int) -> dict:
    """Flat out: wrk when available, else load_test.py in two processes."""
    if have_wrk():
        return run_wrk(plan, concurrency)
    print("wrk not found: using load_test.py (the client may then be the limit)", file=sys.stderr)
    return run_python(plan, concurrency)
