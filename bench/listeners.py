"""7. What connected `relaycore listen` clients cost the web tier (issue 16).

Rounds alternate between no listener and LISTENERS listeners (alternating cancels the
drift of a shared machine), all in one run on the same gunicorn. In every round:

- ingest: wrk sends unique signed events flat out to one source, as scenario 1;
- API: one client reads `/api/deliveries/?page_size=20` (the dashboard's main list) in
  a loop, and its latency is recorded;
- a trickle of TRICKLE_PER_S events to a second source, the one the listeners follow
  (developers following their own quiet source), so that the listeners have something
  to receive: their lag from the 200 of an event to its arrival is recorded.

Listeners follow the source as the client does: a first long poll for the cursor and
the stream's URL, then the stream of server-sent events (relaycore/stream.py, the stack's
stream process), each thread with its own connection, in a process of their own beside
the trickle. With FOLLOW = "poll" they poll instead (the long poll alone, as before the
stream existed: `wait` of 2 s, then the server's `poll_after_seconds`). Their CPU is
charged to the machine under test (real listeners run on developers' machines): the
figures are, if anything, pessimistic.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import threading
import time

import httpx

from load_test import Plan, ingest_url, percentile

LISTENERS = 100
TRICKLE_PER_S = 2.0
WAIT_SECONDS = 2.0
FOLLOW = "stream"  # or "poll": the long poll alone


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: list[float] = []

    def add(self, value: float) -> None:
        with self.lock:
            self.values.append(value)

    def summary(self) -> dict:
        ordered = sorted(self.values)
        if not ordered:
            return {"n": 0}
        return {
            "n": len(ordered),
            "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
            "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1),
        }


def _trickle(stop: threading.Event, url: str, secret: str, accepted: dict[int, float]) -> None:
    plan = Plan(url=url, requests=1_000_000, secret=secret, unique=True)
    with httpx.Client(timeout=10) as client:
        for i in range(plan.requests):
            if stop.wait(1 / TRICKLE_PER_S):
                return
            body, headers = plan.prepare(i)
            answer = client.post(url, content=body, headers=headers)
            if answer.status_code == 200 and "delivery_id" in answer.json():
                accepted[answer.json()["delivery_id"]] = time.time()


def _streamed(client: httpx.Client, url: str, cursor: int, stop, connected, seen) -> None:
    """Follow the stream until `stop` (the swarm's process then exits with the
    connection still open, as a killed client would)."""
    params = {"after": cursor}
    with client.stream("GET", url, params=params, timeout=httpx.Timeout(10, read=60)) as answer:
        answer.raise_for_status()
        connected()
        for line in answer.iter_lines():
            if stop.is_set():
                return
            if line.startswith('data: {"id"'):
                seen(json.loads(line[6:]))


def _listener(
    stop, url: str, token: str, arrivals: list, lag: Recorder, tally: dict, ready
) -> None:
    """Records (event id, arrival time) of what it receives: on SQLite the stream can be
    faster than the trickle's reading of its 200, so lags are computed at the end."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=WAIT_SECONDS + 15) as client:
        first = client.get(url).json()
        cursor = first["cursor"]
        if FOLLOW == "stream":

            def seen(event: dict) -> None:
                arrivals.append((event["id"], time.time()))

            joined = []

            def connected() -> None:
                with lag.lock:
                    tally["connections"] += 1  # more than one each: it reconnected
                if not joined:
                    joined.append(True)
                    ready.wait()  # all connected before the round is timed

            while not stop.is_set():
                try:
                    _streamed(client, first["stream_url"], cursor, stop, connected, seen)
                except httpx.HTTPError:
                    with lag.lock:
                        tally["errors"] += 1
                    stop.wait(0.5)
            return
        ready.wait()
        while not stop.is_set():
            try:
                answer = client.get(url, params={"after": cursor, "wait": WAIT_SECONDS}).json()
            except httpx.HTTPError:
                with lag.lock:
                    tally["errors"] += 1  # the client retries such a poll; so do we
                continue
            now = time.time()
            arrivals.extend((event["id"], now) for event in answer["events"])
            with lag.lock:
                tally["polls"] += 1
                # No event and no pause asked for: the server held this poll in a slot.
                tally["waited"] += not answer["events"] and not answer["poll_after_seconds"]
            cursor = answer["cursor"]
            if answer["poll_after_seconds"]:
                stop.wait(answer["poll_after_seconds"])


def _swarm(n: int, listen_url: str, trickle_url: str, secret: str, token: str, stop, ready, out):
    """In a process of its own (its threads must not queue for the GIL of the process
    that times the API): `n` listeners and the trickle, until `stop`; then the figures."""
    accepted: dict[int, float] = {}
    arrivals: list[tuple[int, float]] = []  # list.append is atomic: no lock
    lag, tally = Recorder(), {"polls": 0, "waited": 0, "errors": 0, "connections": 0}
    connected = threading.Barrier(n + 1)
    # Daemons: a streaming listener blocked in a read ends with this process.
    threads = [
        threading.Thread(
            target=_listener,
            args=(stop, listen_url, token, arrivals, lag, tally, connected),
            daemon=True,
        )
        for _ in range(n)
    ]
    threads.append(threading.Thread(target=_trickle, args=(stop, trickle_url, secret, accepted)))
    for thread in threads:
        thread.start()
    connected.wait(60)
    began = time.monotonic()
    ready.set()
    stop.wait()
    elapsed = time.monotonic() - began
    for event_id, at in list(arrivals):
        if event_id in accepted:  # an event of the trickle (not one from before the round)
            lag.add(max(0.0, at - accepted[event_id]))
    deadline = time.monotonic() + (1 if FOLLOW == "stream" else 30)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    out.put(
        {
            "polls_per_s": round(tally["polls"] / max(elapsed, 1e-9), 1),
            "waited_share": round(tally["waited"] / max(tally["polls"], 1), 3),
            "lag": lag.summary(),
            "trickled": len(accepted),
            "errors": tally["errors"],
            "follow": FOLLOW,
            "connections": tally["connections"],
        }
    )


def _api_probe(stop: threading.Event, url: str, token: str, latency: Recorder) -> None:
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while not stop.is_set():
            began = time.perf_counter()
            client.get(url).raise_for_status()
            latency.add(time.perf_counter() - began)
            stop.wait(0.05)


def one_round(stack, send, plan: Plan, followed: str, secret: str, token: str, n: int) -> dict:
    """Ingest flat out with `n` listeners connected; the figures of that round."""
    processes = multiprocessing.get_context("fork")
    stop, ready, out = processes.Event(), processes.Event(), processes.Queue()
    swarm = processes.Process(
        target=_swarm,
        args=(
            n,
            f"{stack.web_url}/api/sources/{followed}/listen/",
            ingest_url(stack.web_url, followed),
            secret,
            token,
            stop,
            ready,
            out,
        ),
        daemon=True,
    )
    swarm.start()
    if not ready.wait(90):
        swarm.kill()
        raise RuntimeError("the listeners did not connect")
    api, probing = Recorder(), threading.Event()
    probe = threading.Thread(
        target=_api_probe,
        args=(probing, f"{stack.web_url}/api/deliveries/?page_size=20", token, api),
    )
    time.sleep(WAIT_SECONDS + 1)  # every listener in its steady loop
    service = getattr(stack, "stream", None)
    stream_pid = service.proc.pid if service is not None and service.proc else None
    cpu_before, began = _cpu_seconds(stream_pid), time.monotonic()
    clients_before = _cpu_seconds(swarm.pid)
    probe.start()
    ingest = send(plan)
    probing.set()
    probe.join(30)
    clients_cpu = (_cpu_seconds(swarm.pid) - clients_before) / max(time.monotonic() - began, 1e-9)
    stream_cpu = None
    if stream_pid is not None:
        share = (_cpu_seconds(stream_pid) - cpu_before) / max(time.monotonic() - began, 1e-9)
        stream_cpu = round(share, 4)
    time.sleep(WAIT_SECONDS + 1)  # the last trickled events reach the listeners
    stop.set()
    listen = out.get(timeout=90)
    swarm.join(30)
    listen["stream_cpu_share"] = stream_cpu  # of one core, while ingest ran
    listen["clients_cpu_share"] = round(clients_cpu, 4)  # the listeners and the trickle
    return {"listeners": n, "ingest": ingest, "api": api.summary(), "listen": listen}


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 without one."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compare(rounds: list[dict]) -> dict:
    """Medians of each arm, and what the listeners cost (ratios to no listener)."""

    def arm(n: int) -> dict:
        mine = [r for r in rounds if r["listeners"] == n]
        return {
            "accepted_per_s": statistics.median(r["ingest"]["accepted_per_s"] for r in mine),
            "ingest_p99_ms": statistics.median(r["ingest"]["latency_ms"]["p99"] for r in mine),
            "api_p50_ms": statistics.median(r["api"].get("p50_ms", 0) for r in mine),
            "api_p99_ms": statistics.median(r["api"].get("p99_ms", 0) for r in mine),
        }

    idle, busy = arm(0), arm(LISTENERS)
    # Each round with listeners against the round without just before it: the drift of a
    # shared machine between pairs cancels out of these.
    pairs = [
        round(b["ingest"]["accepted_per_s"] / max(a["ingest"]["accepted_per_s"], 1e-9), 3)
        for a, b in zip(rounds[::2], rounds[1::2], strict=False)
        if a["listeners"] == 0 and b["listeners"]
    ]
    cpu = [r["listen"].get("stream_cpu_share") for r in rounds if r["listeners"]]
    idle_cpu = [r["listen"].get("stream_cpu_share") for r in rounds if not r["listeners"]]
    # And against the mean of the rounds without listeners on either side of it: a load
    # that rises (or falls) through the run then cancels out too.
    bracketed = []
    for i, one in enumerate(rounds):
        around = [rounds[j] for j in (i - 1, i + 1) if 0 <= j < len(rounds)]
        around = [r["ingest"]["accepted_per_s"] for r in around if r["listeners"] == 0]
        if one["listeners"] and around:
            reference = statistics.mean(around)
            bracketed.append(round(one["ingest"]["accepted_per_s"] / max(reference, 1e-9), 3))
    lags = [r["listen"]["lag"] for r in rounds if r["listeners"] and r["listen"]["lag"].get("n")]
    return {
        "without": idle,
        "with": busy,
        "follow": FOLLOW,
        "ingest_kept": round(busy["accepted_per_s"] / max(idle["accepted_per_s"], 1e-9), 3),
        "api_p50_ratio": round(busy["api_p50_ms"] / max(idle["api_p50_ms"], 1e-9), 3),
        "api_p99_ratio": round(busy["api_p99_ms"] / max(idle["api_p99_ms"], 1e-9), 3),
        "ingest_kept_by_pair": pairs,
        # The stream process's CPU while ingest ran, in share of one core (of two).
        "stream_cpu_with": statistics.median(cpu) if None not in cpu and cpu else None,
        "stream_cpu_without": statistics.median(idle_cpu)
        if None not in idle_cpu and idle_cpu
        else None,
        "clients_cpu_with": statistics.median(
            r["listen"].get("clients_cpu_share", 0) for r in rounds if r["listeners"]
        ),
        "clients_cpu_without": statistics.median(
            r["listen"].get("clients_cpu_share", 0) for r in rounds if not r["listeners"]
        ),
        "ingest_kept_pair_median": statistics.median(pairs) if pairs else None,
        "ingest_kept_bracketed": bracketed,
        "ingest_kept_bracketed_median": statistics.median(bracketed) if bracketed else None,
        # The worst round's: every round must reach listeners within 2 s.
        "lag_p50_ms": max((lag["p50_ms"] for lag in lags), default=None),
        "lag_p99_ms": max((lag["p99_ms"] for lag in lags), default=None),
    }
