#!/usr/bin/env python3
"""Load test a RelayCore ingest endpoint and print throughput, latency and statuses.

    .venv/bin/python load_test.py --url http://127.0.0.1:8000 --slug github \\
        --secret s3cret --requests 5000 --concurrency 32 --unique --duplicates 100

Every request is built and signed before the clock starts (a signature costs client
CPU that would otherwise be counted against the server), then sent by `--concurrency`
connections shared out over `--processes` processes: one Python process with httpx
tops out at a few hundred requests per second, which is below what the gateway does.
`--rate` paces the requests (open loop) instead of sending as fast as answers come.

`--self-test` measures this client's own ceiling against a trivial local server that
answers 200 at once (bench/sink.py --trivial), with the same options otherwise.

Statuses are counted as accepted, duplicate (both 200), 401, 429 and other (anything
else, and connection errors, itemised below the table).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import multiprocessing
import socket
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CATEGORIES = ("accepted", "duplicate", "401", "429", "other")
Headers = dict[str, str]
Prepared = tuple[bytes, Headers]


# -- Signing, one function per scheme (the gateway's registry, seen from the producer) --


def sign_github(secret: str, key: str, body: bytes) -> Headers:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "X-GitHub-Delivery": key}


def sign_hmac_sha256(secret: str, key: str, body: bytes) -> Headers:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Signature": digest, "Idempotency-Key": key}


def standard_webhooks_key(secret: str) -> bytes:
    encoded = secret.removeprefix("whsec_")
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4))


def sign_standard_webhooks(secret: str, key: str, body: bytes) -> Headers:
    timestamp = str(int(time.time()))
    signed = f"{key}.{timestamp}.".encode() + body
    digest = hmac.new(standard_webhooks_key(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": key,
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


def sign_none(secret: str, key: str, body: bytes) -> Headers:
    return {"Idempotency-Key": key}


SIGNERS: dict[str, Callable[[str, str, bytes], Headers]] = {
    "github": sign_github,
    "hmac_sha256": sign_hmac_sha256,
    "standard_webhooks": sign_standard_webhooks,
    "none": sign_none,
}


# -- The plan: which requests, in which order ---------------------------------------------


@dataclass(frozen=True)
class Plan:
    url: str
    requests: int
    scheme: str = "github"
    secret: str = ""
    unique: bool = False
    duplicates: int = 0
    payload: bytes | None = None
    event: str = "push"
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    groups: int = 0  # > 0: the body's load_test.group is one of this many (ordering keys)

    def key_index(self, i: int) -> int:
        """Request i re-sends key k: the last `duplicates` requests repeat the first ones."""
        if not self.unique:
            return 0
        distinct = max(self.requests - self.duplicates, 1)
        return i if i < distinct else (i - distinct) % distinct

    def body(self, k: int, key: str) -> bytes:
        if self.payload is not None:
            return self.payload
        event = {"ref": "refs/heads/main", "load_test": {"seq": k, "key": key}}
        if self.groups:
            event["load_test"]["group"] = f"g{k % self.groups}"
        return json.dumps(event, separators=(",", ":")).encode()

    def prepare(self, i: int) -> Prepared:
        k = self.key_index(i)
        key = f"lt-{self.run_id}-{k}"
        body = self.body(k, key)
        headers = {"Content-Type": "application/json", "X-GitHub-Event": self.event}
        headers.update(SIGNERS[self.scheme](self.secret, key, body))
        return body, headers


def prepare_share(plan: Plan, share: range) -> list[Prepared]:
    return [plan.prepare(i) for i in share]


# -- Sending -------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    other: Counter = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0

    def record(self, category: str, latency: float, detail: str = "") -> None:
        self.latencies.append(latency)
        self.counts[category] += 1
        if category == "other":
            self.other[detail] += 1

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.counts.update(other.counts)
        self.other.update(other.other)
        self.started = min(self.started or other.started, other.started)
        self.finished = max(self.finished, other.finished)


def classify(response: httpx.Response) -> tuple[str, str]:
    if response.status_code == 200:
        return ("duplicate" if b'"duplicate"' in response.content else "accepted"), ""
    if response.status_code in (401, 429):
        return str(response.status_code), ""
    return "other", str(response.status_code)


async def send_all(
    url: str, prepared: list[Prepared], concurrency: int, schedule: Callable[[int], float] | None
) -> Tally:
    tally = Tally()
    position = iter(range(len(prepared)))
    # A client per connection: httpcore's pool gets slower the more connections it
    # juggles, and here every sender keeps exactly one busy. They are built before the
    # clock starts: each builds an SSL context (tens of ms), and built by the senders
    # they made a paced run start late and then catch up with a burst (85 requests at
    # once at 100/s and c=32), which was then most of the run's p99.
    clients = [
        httpx.AsyncClient(limits=httpx.Limits(max_connections=1), timeout=60.0)
        for _ in range(concurrency)
    ]
    late = max(0.0, time.time() - schedule(0)) if schedule is not None else 0.0

    async def sender(client: httpx.AsyncClient) -> None:
        async with client:
            await send_from(client)

    async def send_from(client: httpx.AsyncClient) -> None:
        for j in position:  # one shared iterator: each request is sent exactly once
            if schedule is not None:
                await asyncio.sleep(max(0.0, schedule(j) + late - time.time()))
            body, headers = prepared[j]
            began = time.perf_counter()
            try:
                response = await client.post(url, content=body, headers=headers)
                category, detail = classify(response)
            except httpx.HTTPError as exc:
                category, detail = "other", f"error: {type(exc).__name__}"
            tally.record(category, time.perf_counter() - began, detail)

    tally.started = time.time()
    await asyncio.gather(*(sender(client) for client in clients))
    tally.finished = time.time()
    return tally


def pacing(rate: float | None, start_at: float, first: int, step: int) -> Callable | None:
    """Request j of a process that owns requests first, first+step, ... of the run."""
    if not rate:
        return None
    return lambda j: start_at + (first + j * step) / rate


# -- Processes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    plan: Plan
    concurrency: int
    processes: int
    rate: float | None


def child(job: Job, index: int, ready, go, start_at, results) -> None:
    """One of `processes` senders: owns requests index, index+P, index+2P, ..."""
    share = range(index, job.plan.requests, job.processes)
    prepared = prepare_share(job.plan, share)
    extra = index < job.concurrency % job.processes
    per_process = max(1, job.concurrency // job.processes + extra)
    ready.wait()
    go.wait()
    schedule = pacing(job.rate, start_at.value, index, job.processes)
    results.put(asyncio.run(send_all(job.plan.url, prepared, per_process, schedule)))


def run_job(job: Job) -> Tally:
    if job.processes <= 1:
        prepared = prepare_share(job.plan, range(job.plan.requests))
        schedule = pacing(job.rate, time.time() + 0.1, 0, 1)
        return asyncio.run(send_all(job.plan.url, prepared, job.concurrency, schedule))
    context = multiprocessing.get_context("fork")
    ready, go = context.Barrier(job.processes + 1), context.Barrier(job.processes + 1)
    start_at, results = context.Value("d", 0.0), context.Queue()
    children = [
        context.Process(target=child, args=(job, i, ready, go, start_at, results))
        for i in range(job.processes)
    ]
    for process in children:
        process.start()
    ready.wait()  # every child has signed its share
    start_at.value = time.time() + 0.2
    go.wait()
    total = Tally()
    for _ in children:
        total.merge(results.get())
    for process in children:
        process.join()
    return total


# -- Reporting -----------------------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the sample at or below."""
    if not ordered:
        return 0.0
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(tally: Tally) -> dict:
    ordered = sorted(tally.latencies)
    duration = max(tally.finished - tally.started, 1e-9)
    ms = {
        name: round(percentile(ordered, q) * 1000, 2)
        for name, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
    }
    return {
        "requests": len(ordered),
        "duration_s": round(duration, 3),
        "throughput_rps": round(len(ordered) / duration, 1),
        "accepted_per_s": round(tally.counts["accepted"] / duration, 1),
        "latency_ms": ms,
        "counts": {name: tally.counts[name] for name in CATEGORIES},
        "other": dict(tally.other),
    }


def print_summary(summary: dict, label: str) -> None:
    ms = summary["latency_ms"]
    print(f"{label}: {summary['requests']} requests in {summary['duration_s']:.2f} s")
    print(f"  throughput  {summary['throughput_rps']:10.1f} requests/s")
    print(f"  accepted    {summary['accepted_per_s']:10.1f} events/s")
    print(
        f"  latency ms  p50 {ms['p50']:.1f}  p95 {ms['p95']:.1f}  "
        f"p99 {ms['p99']:.1f}  max {ms['max']:.1f}"
    )
    print("  " + "  ".join(f"{name} {count}" for name, count in summary["counts"].items()))
    for detail, count in sorted(summary["other"].items()):
        print(f"    other: {detail} x{count}")


# -- Self-test: the client's ceiling -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_trivial_server() -> tuple[multiprocessing.Process, str]:
    """bench/sink.py in trivial mode, in its own process so it does not share our CPU."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench.sink import run

    context = multiprocessing.get_context("fork")
    port, ready = free_port(), context.Event()
    server = context.Process(target=run, args=("127.0.0.1", port, True, ready), daemon=True)
    server.start()
    if not ready.wait(10):
        raise RuntimeError("the trivial server did not start")
    return server, f"http://127.0.0.1:{port}"


# -- Command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--url", help="the gateway's base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--slug", help="the source's slug")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--secret", default="", help="sign requests with this secret")
    parser.add_argument("--scheme", choices=sorted(SIGNERS), default="github")
    parser.add_argument("--unique", action="store_true", help="a new idempotency key each")
    parser.add_argument("--duplicates", type=int, default=0, help="re-send N earlier requests")
    parser.add_argument("--payload", type=Path, help="body file (default: a small push)")
    parser.add_argument("--event", default="push", help="X-GitHub-Event header")
    parser.add_argument("--processes", type=int, default=1, help="sender processes")
    parser.add_argument("--rate", type=float, help="requests per second (default: flat out)")
    parser.add_argument("--self-test", action="store_true", help="measure this client's ceiling")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if not args.self_test and not (args.url and args.slug):
        parser.error("--url and --slug are required (or --self-test)")
    if args.duplicates >= args.requests or args.duplicates < 0:
        parser.error("--duplicates must be between 0 and --requests - 1")
    if args.secret == "" and args.scheme != "none" and not args.self_test:
        parser.error(f"--scheme {args.scheme} needs --secret (or use --scheme none)")
    return args


def ingest_url(base: str, slug: str) -> str:
    return f"{base.rstrip('/')}/webhooks/receive/{slug}/"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = None
    base, slug = args.url, args.slug
    if args.self_test:
        server, base = start_trivial_server()
        slug = "self-test"
    plan = Plan(
        url=ingest_url(base, slug),
        requests=args.requests,
        scheme=args.scheme,
        secret=args.secret or "self-test-secret",
        unique=args.unique,
        duplicates=args.duplicates,
        payload=args.payload.read_bytes() if args.payload else None,
        event=args.event,
    )
    try:
        summary = summarise(run_job(Job(plan, args.concurrency, args.processes, args.rate)))
    finally:
        if server is not None:
            server.terminate()
    summary["processes"], summary["concurrency"] = args.processes, args.concurrency
    if args.json:
        print(json.dumps(summary))
    else:
        label = "client ceiling (trivial server)" if args.self_test else plan.url
        print_summary(summary, label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
