"""The benchmark's scenarios (issue 5, "Load test and benchmarks", items 1-5).

Each function configures what it needs through the ORM, drives load, waits for the
deliveries at the sink, and answers a plain dict of figures for the report. Latency
"ingest to delivered" is the sink's arrival time minus the event row's received_at
(both wall clocks of this machine), matched by the X-RelayCore-Event-Id header.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import httpx
from django.db import connection

from apps.core.models import Destination, Event, Outcome, Route, Source, Transformation
from bench import costs, wrk
from bench.services import Stack
from load_test import Plan, ingest_url, percentile

SECRET = "bench-secret"
# High enough never to refuse, so the rate-limit script still runs as it does in production.
SOURCE_RATE_LIMIT = 10_000_000
STALL_SECONDS = 60.0


def make_source(slug: str) -> Source:
    return Source.objects.create(
        name=slug,
        slug=slug,
        verification_scheme="github",
        secret=SECRET,
        rate_limit_per_minute=SOURCE_RATE_LIMIT,
    )


def make_route(source: Source, url: str, name: str, timeout: float = 10.0) -> Route:
    destination = Destination.objects.create(name=name, url=url, timeout_seconds=timeout)
    return Route.objects.create(
        name=name, source=source, destination=destination, transformer="passthrough"
    )


def plan(stack: Stack, slug: str, count: int) -> Plan:
    return Plan(url=ingest_url(stack.web_url, slug), requests=count, secret=SECRET, unique=True)


def reset_events() -> None:
    """Empty the event tables between phases (the configuration stays)."""
    tables = [m._meta.db_table for m in (Event, Outcome)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


# -- Reading the sink ---------------------------------------------------------------------


def sink_rows(stack: Stack, prefix: str) -> list[tuple[float, str, int]]:
    """First arrival of each (path, event): deliveries are at least once."""
    rows = httpx.get(f"{stack.sink_url}/dump", timeout=60).json()
    first: dict[tuple[str, str], float] = {}
    for arrived, path, event_id in rows:
        if path.startswith(prefix) and event_id:
            key = (path, event_id)
            first[key] = min(arrived, first.get(key, arrived))
    return [(arrived, path, int(event_id)) for (path, event_id), arrived in first.items()]


def arrived(stack: Stack, prefix: str) -> int:
    paths = httpx.get(f"{stack.sink_url}/stats", timeout=10).json()["paths"]
    return sum(count for path, count in paths.items() if path.startswith(prefix))


def wait_for_sink(stack: Stack, prefix: str, expected: int, limit: float = 900.0) -> int:
    """Wait until `expected` requests reached paths under `prefix`, or progress stalls."""
    deadline = time.monotonic() + limit
    last, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        stack.check_alive()
        count = arrived(stack, prefix)
        if count >= expected:
            return count
        if count != last:
            last, last_change = count, time.monotonic()
        elif time.monotonic() - last_change > STALL_SECONDS:
            break
        time.sleep(0.25)
    return last


def delivery_figures(stack: Stack, source: Source, prefix: str) -> dict:
    rows = sink_rows(stack, prefix)
    received = {
        pk: at.timestamp()
        for pk, at in Event.objects.filter(source=source).values_list("pk", "received_at")
    }
    latencies = sorted(at - received[event] for at, _, event in rows if event in received)
    if not latencies:
        return {"delivered": 0}
    first_in = min(received.values())
    last_out = max(at for at, _, _ in rows)
    return {
        "delivered": len(rows),
        "window_s": round(last_out - first_in, 2),
        "deliveries_per_s": round(len(rows) / max(last_out - first_in, 1e-9), 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(latencies[-1] * 1000, 1),
        },
    }


def routing_lag(source: Source) -> dict:
    """How long the source's events waited to be routed (receipt to outcome row)."""
    lags = sorted(
        (created - received).total_seconds()
        for created, received in Outcome.objects.filter(event__source=source).values_list(
            "created_at", "event__received_at"
        )
    )
    if not lags:
        return {}
    return {
        "p50": round(percentile(lags, 0.50) * 1000, 1),
        "p99": round(percentile(lags, 0.99) * 1000, 1),
    }


# -- Scenarios ----------------------------------------------------------------------------


def ingest_only(stack: Stack, count: int, name: str = "ingest") -> dict:
    """1. Unique signed events at concurrency 32, no worker running, no route."""
    source = make_source(name)
    summary = wrk.send(plan(stack, source.slug, count), 32)
    summary["stored"] = Event.objects.filter(source=source).count()
    return summary


def end_to_end(stack: Stack, count: int, name: str = "e2e") -> dict:
    """2. Events with one route each to the sink, sent flat out."""
    source = make_source(name)
    make_route(source, f"{stack.sink_url}/{name}", name)
    # The costs read the production stack's processes and PostgreSQL's statistics; the
    # embedded profile's stack (bench/embedded.py) has neither.
    counted = hasattr(stack, "workers") and connection.vendor == "postgresql"
    before = costs.read(stack) if counted else None
    ingest = wrk.send(plan(stack, source.slug, count), 32)
    accepted = ingest["counts"]["accepted"]
    delivered = wait_for_sink(stack, f"/{name}", accepted)
    figures = {"ingest": ingest, **delivery_figures(stack, source, f"/{name}")}
    if before is not None:
        figures["costs"] = costs.per_delivery(before, stack, accepted, delivered)
    return figures


def median_round(rounds: list[dict], rate: Callable[[dict], float]) -> dict:
    """The round whose rate is the median (the lower of the two middle ones for an even
    count): runs on this machine differ by +-15 %, so one run is a lottery."""
    return sorted(rounds, key=rate)[(len(rounds) - 1) // 2]


def paced(stack: Stack, count: int, rate: float = 100.0) -> dict:
    """2b. Ingest-to-delivered latency at a steady 100 events/s, and where it goes."""
    source = make_source("paced")
    make_route(source, f"{stack.sink_url}/paced", "paced")
    ingest = wrk.run_python(plan(stack, source.slug, count), 32, processes=1, rate=rate)
    wait_for_sink(stack, "/paced", ingest["counts"]["accepted"])
    figures = delivery_figures(stack, source, "/paced")
    return {"rate": rate, "ingest": ingest, **figures, "budget_ms": budget(stack, source, "/paced")}


def budget(stack: Stack, source: Source, prefix: str) -> dict:
    """The two halves of ingest-to-delivered, p50 and p99 of each: received -> routed
    (the publisher, the broker, the worker taking the task, routing's reads; routed is
    the outcome row's created_at, stamped as routing writes it) and routed -> arrived
    (the commit, the sender's hand-off, the HTTP request to the sink)."""
    arrived_at = {event: at for at, _, event in sink_rows(stack, prefix)}
    stamps = Outcome.objects.filter(event__source=source).values_list(
        "event_id", "event__received_at", "created_at"
    )
    halves: dict[str, list[float]] = {"received_to_routed": [], "routed_to_arrived": []}
    for event, received, routed in stamps:
        if event in arrived_at:
            halves["received_to_routed"].append(routed.timestamp() - received.timestamp())
            halves["routed_to_arrived"].append(arrived_at[event] - routed.timestamp())
    return {
        name: {
            "p50": round(percentile(sorted(values), 0.50) * 1000, 1),
            "p99": round(percentile(sorted(values), 0.99) * 1000, 1),
        }
        for name, values in halves.items()
        if values
    }


def fan_out(stack: Stack, count: int, destinations: int = 10) -> dict:
    """3. Events each routed to `destinations` destinations."""
    source = make_source("fanout")
    for n in range(destinations):
        make_route(source, f"{stack.sink_url}/fan/{n}", f"fan-{n}")
    ingest = wrk.send(plan(stack, source.slug, count), 32)
    wait_for_sink(stack, "/fan/", ingest["counts"]["accepted"] * destinations)
    return {
        "destinations": destinations,
        "ingest": ingest,
        **delivery_figures(stack, source, "/fan/"),
    }


def healthy_rate(stack: Stack, slug: str, count: int, hang: bool) -> dict:
    source = make_source(slug)
    make_route(source, f"{stack.sink_url}/{slug}/ok", f"{slug}-ok")
    if hang:
        # Answers after 10 s, inside its 15 s timeout: slow, not failing.
        make_route(source, f"{stack.sink_url}/hang/10/{slug}", f"{slug}-hang", timeout=15.0)
    ingest = wrk.send(plan(stack, slug, count), 32)
    wait_for_sink(stack, f"/{slug}/ok", ingest["counts"]["accepted"])
    return {"ingest": ingest, **delivery_figures(stack, source, f"/{slug}/ok")}


def isolation(stack: Stack, count: int) -> dict:
    """4. The healthy destination's rate alone, then beside one that hangs 10 s."""
    alone = healthy_rate(stack, "iso-alone", count, hang=False)
    beside = healthy_rate(stack, "iso-beside", count, hang=True)
    ratio = beside.get("deliveries_per_s", 0) / max(alone.get("deliveries_per_s", 0), 1e-9)
    return {"alone": alone, "beside_hanging": beside, "kept": round(ratio, 3)}


def ceilings(stack: Stack, count: int, rounds: int = 2) -> dict:
    """5. A bare view, the minimal same-I/O view (one INSERT per request), the batched
    view (the same I/O grouped as ingest groups it) and ingest, same server, in turns;
    then each of them alone at c=1 (a lone request's latency)."""
    source = make_source("ceiling")
    base = stack.web_url
    paths = {
        "bare": "/bench/bare/",
        "minimal": f"/bench/minimal/{source.slug}/",
        "batched": f"/bench/batched/{source.slug}/",
        "ingest": f"/webhooks/receive/{source.slug}/",
    }

    def run(name: str, concurrency: int = 32, requests: int = count) -> dict:
        target = Plan(url=base + paths[name], requests=requests, secret=SECRET, unique=True)
        return wrk.send(target, concurrency)

    results: dict[str, list[dict]] = {"bare": [run("bare")], "minimal": [], "batched": []}
    results["ingest"] = []
    for _ in range(rounds):
        for name in ("minimal", "batched", "ingest"):
            results[name].append(run(name))
    lone = {name: run(name, 1, max(count // 10, 100)) for name in paths}
    mean = {
        name: statistics.mean(r["throughput_rps"] for r in runs) for name, runs in results.items()
    }
    return {
        "runs": results,
        "c1": lone,
        "c1_p50_ms": {name: r["latency_ms"]["p50"] for name, r in lone.items()},
        "mean_rps": {name: round(value, 1) for name, value in mean.items()},
        "ingest_p99_ms": max(r["latency_ms"]["p99"] for r in results["ingest"]),
        "ingest_to_minimal": round(mean["ingest"] / mean["minimal"], 3),
        "ingest_to_bare": round(mean["ingest"] / mean["bare"], 3),
        "ingest_to_batched": round(mean["ingest"] / mean["batched"], 3),
    }


def grouping(stack: Stack, count: int, rounds: int = 2) -> dict:
    """9. Ingest with group commit off and on (INGEST_GROUP_COMMIT), in alternating
    rounds on one build, gunicorn restarted for each: c=32, then c=1."""
    found: dict[str, list[dict]] = {"off": [], "on": []}
    for i in range(1, rounds + 1):
        for name in ("off", "on"):
            stack.stop_web()
            stack.start_web("bench.settings", INGEST_GROUP_COMMIT=str(name == "on").lower())
            source = make_source(f"grouping-{name}-{i}")
            busy = wrk.send(plan(stack, source.slug, count), 32)
            lone = wrk.send(plan(stack, source.slug, max(count // 10, 100)), 1)
            found[name].append({"c32": busy, "c1": lone})
    stack.stop_web()
    stack.start_web("bench.settings")

    def mean(name: str, pick: Callable[[dict], float]) -> float:
        return round(statistics.mean(pick(r) for r in found[name]), 2)

    summary = {
        name: {
            "accepted_per_s": mean(name, lambda r: r["c32"]["accepted_per_s"]),
            "p99_ms": mean(name, lambda r: r["c32"]["latency_ms"]["p99"]),
            "c1_p50_ms": mean(name, lambda r: r["c1"]["latency_ms"]["p50"]),
        }
        for name in found
    }
    on, off = summary["on"], summary["off"]
    return {
        "rounds": found,
        **summary,
        "speedup": round(on["accepted_per_s"] / max(off["accepted_per_s"], 1e-9), 3),
        "c1_p50_ratio": round(on["c1_p50_ms"] / max(off["c1_p50_ms"], 1e-9), 3),
    }


def client_ceilings(count: int) -> dict:
    """The load clients against a server that does nothing: they must not be the limit."""
    from load_test import Job, run_job, start_trivial_server, summarise

    server, base = start_trivial_server()
    try:
        target = Plan(url=ingest_url(base, "trivial"), requests=count, secret=SECRET, unique=True)
        found = {}
        if wrk.have_wrk():
            found["wrk -t2 -c32"] = wrk.run_wrk(target, 32)
        for processes in (1, 2):
            found[f"load_test.py --processes {processes}"] = summarise(
                run_job(Job(target, 32, processes, None))
            )
        return found
    finally:
        server.terminate()


# A Teams card from a GitHub push: the README's example, the kind of work a real
# transformation does (a few property reads, a map, a join).
TEAMS_CARD = """function transform(event) {
  const push = event.body;
  return {
    body: {
      "@type": "MessageCard",
      summary: "push to " + (push.ref || "?"),
      sections: [{activityTitle: push.ref, facts: Object.keys(push).map((k) => ({name: k}))}],
    },
    headers: {"X-Event": event.event_type},
  };
}"""


def shaping_cost(count: int, code: str = TEAMS_CARD) -> dict:
    """In this process: the time to shape one event for a passthrough route and for a
    JavaScript transformation, through the same function delivery calls (one compile
    first, then engines reused). `added_p50_ms` is what the transformation adds."""
    from apps.transformers.base import TransformInput
    from apps.transformers.dispatch import shape

    transformation = Transformation(pk=10**9, name="bench", code=code, version=1)
    js_route = Route(transformer="", transformation=transformation)
    plain_route = Route(transformer="passthrough")
    payload = {"ref": "refs/heads/main", "size": 1, "commits": [{"id": "abc"}]}
    data = TransformInput(event_type="push", payload=payload, body=b"{}", source_slug="bench")
    shape(js_route, data)  # compile once, as a worker does for each version
    timings: dict[str, list[float]] = {"passthrough": [], "javascript": []}
    for _ in range(count):
        for name, route in (("passthrough", plain_route), ("javascript", js_route)):
            began = time.perf_counter()
            shape(route, data)
            timings[name].append((time.perf_counter() - began) * 1000)
    # Rounded before subtracting, so that the figures reported add up.
    p50 = {name: round(statistics.median(values), 3) for name, values in timings.items()}
    return {
        "runs": count,
        "p50_ms": p50,
        "p99_ms": {name: round(percentile(sorted(v), 0.99), 3) for name, v in timings.items()},
        "added_p50_ms": round(p50["javascript"] - p50["passthrough"], 3),
    }


def transformation(stack: Stack, count: int) -> dict:
    """6. Beside passthrough: the same events through a JavaScript transformation, end to
    end through the workers, and the cost per delivery measured in process."""
    base_source = make_source("tx-passthrough")
    make_route(base_source, f"{stack.sink_url}/tx-passthrough", "tx-passthrough")
    js_source = make_source("tx-javascript")
    route = make_route(js_source, f"{stack.sink_url}/tx-javascript", "tx-javascript")
    route.transformer = ""
    route.transformation = Transformation.objects.create(name="bench teams card", code=TEAMS_CARD)
    route.save()
    found = {}
    for name, source in (("passthrough", base_source), ("javascript", js_source)):
        ingest = wrk.send(plan(stack, source.slug, count), 32)
        wait_for_sink(stack, f"/tx-{name}", ingest["counts"]["accepted"])
        found[name] = {"ingest": ingest, **delivery_figures(stack, source, f"/tx-{name}")}
    p50 = {name: result.get("latency_ms", {}).get("p50") for name, result in found.items()}
    return {
        **found,
        "e2e_p50_added_ms": None
        if None in p50.values()
        else round(p50["javascript"] - p50["passthrough"], 1),
        "in_process": shaping_cost(min(count, 5000)),
    }


def listeners(stack: Stack, count: int, rounds: int) -> dict:
    """7. Ingest and API with no listener and with 100, alternating (bench/listeners.py)."""
    from django.contrib.auth import get_user_model

    from apps.api.roles import Role, set_role
    from apps.api.tokens import issue_token
    from bench import listeners as swarm

    followed = make_source("listen-followed")
    viewer = get_user_model().objects.create_user("bench-listener")
    set_role(viewer, Role.VIEWER)
    token = issue_token(viewer, name="bench").key
    found = []
    if swarm.FOLLOW == "stream":
        stack.start_stream()  # in every round, as in a deployment: idle without listeners
    for i in range(1, rounds + 1):
        for n in (0, swarm.LISTENERS):
            source = make_source(f"listen-ingest-{i}-{n}")
            found.append(
                swarm.one_round(
                    stack,
                    lambda p: wrk.send(p, 32),
                    plan(stack, source.slug, count),
                    followed.slug,
                    SECRET,
                    token,
                    n,
                )
            )
    stack.stop_stream()
    return {"rounds": found, **swarm.compare(found)}


def ordered(stack: Stack, count: int, keys: int = 100) -> dict:
    """8. The same events to an unordered route, then to one ordered by a key with `keys`
    values (each value's events one at a time, in receipt order)."""
    found = {}
    for name, ordering_key in (("unordered", ""), ("ordered", "$.load_test.group")):
        source = make_source(f"ord-{name}")
        route = make_route(source, f"{stack.sink_url}/ord-{name}", f"ord-{name}")
        route.ordering_key = ordering_key
        route.save()
        target = Plan(
            url=ingest_url(stack.web_url, source.slug),
            requests=count,
            secret=SECRET,
            unique=True,
            groups=keys,
        )
        ingest = wrk.send(target, 32)
        wait_for_sink(stack, f"/ord-{name}", ingest["counts"]["accepted"])
        found[name] = {
            "ingest": ingest,
            **delivery_figures(stack, source, f"/ord-{name}"),
            "routed_ms": routing_lag(source),
        }
    kept = found["ordered"].get("deliveries_per_s", 0) / max(
        found["unordered"].get("deliveries_per_s", 0), 1e-9
    )
    return {**found, "keys": keys, "kept": round(kept, 3)}


def ratios(results: dict) -> dict:
    """Issue 17's ratios, from one run's results (those it has): end to end / ingest
    alone, fan-out / single route (deliveries/s), and the fan-out's p99 beside the time
    its backlog takes to drain at its rate (deliveries / deliveries per second: the
    events stored, a few more than wrk counts accepted, times the destinations)."""
    found: dict = {}
    ingest, e2e, fan = results.get("ingest"), results.get("e2e"), results.get("fanout")
    e2e_rate = (e2e or {}).get("deliveries_per_s", 0)
    if ingest and e2e:
        found["e2e_to_ingest"] = round(e2e_rate / max(ingest["accepted_per_s"], 1e-9), 3)
    if fan and fan.get("delivered"):
        fan_rate = fan["deliveries_per_s"]
        if e2e:
            found["fanout_to_single"] = round(fan_rate / max(e2e_rate, 1e-9), 3)
        drain_ms = fan["delivered"] / fan_rate * 1000
        found["fanout_p99_ms"] = fan["latency_ms"]["p99"]
        found["fanout_drain_ms"] = round(drain_ms, 1)
        found["fanout_p99_within_drain"] = fan["latency_ms"]["p99"] <= drain_ms
    return found


def timed(step: Callable[[], dict]) -> dict:
    began = time.monotonic()
    result = step()
    result["elapsed_s"] = round(time.monotonic() - began, 1)
    return result
