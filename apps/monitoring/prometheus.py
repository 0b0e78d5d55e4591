"""Prometheus metrics, read from the database and the broker at scrape time.

The figures come from the tables every process shares, not from in-process counters,
so any web process answers the same numbers however many gunicorn workers, Celery
workers and machines there are. One scrape costs a few small queries and one LLEN:

    relaycore_events{source,status}                  gauge      stored events by status now
    relaycore_outcomes{destination,status}           gauge      route outcomes by status now
    relaycore_dead_letters                           gauge      outcomes dead-lettered now
    relaycore_queue_depth                            gauge      events to route + outcomes to send
    relaycore_delivery_attempts_total{result}        counter    HTTP attempts, success/failure
    relaycore_delivery_attempt_duration_seconds      histogram  every recorded HTTP attempt
    relaycore_signature_failures_unstored_total{source} counter refusals past the storage cap
    relaycore_broker_messages{queue}                 gauge      messages waiting in the broker
    relaycore_broker_up                              gauge      1 if the broker answered

Event and outcome rows are kept by retention (only their content is emptied), so the
attempt counter and histogram only grow, and rate() over them works as usual. Counting
every row on each scrape would grow with the gateway's age; the totals come from the
tallies Beat keeps (apps/monitoring/tallies.py) plus the rows since, and the outcome
statuses other than delivered are counted live, from the (destination, status) index
alone: their cost follows the outcomes waiting, dead-lettered or filtered, not the
table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

import redis
from django.conf import settings
from django.db.models import Count, Q
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from apps.core.models import Destination, Outcome, OutcomeStatus, Source
from apps.ingestion import refusals
from apps.monitoring import tallies
from apps.monitoring.metrics import queue_depth
from apps.monitoring.tallies import LATENCY_BUCKETS

DELETED_DESTINATION = "(deleted)"


def events_by_source_and_status() -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "relaycore_events",
        "Stored inbound events by source and status",
        labels=["source", "status"],
    )
    slugs = dict(Source.objects.values_list("pk", "slug"))
    counts = {}
    for key, count in tallies.current("events").items():
        source_id, status = key.split("|", 1)
        # A deleted source's events went with it; its tally stays behind, unreported.
        if int(source_id) in slugs and count:
            counts[(slugs[int(source_id)], status)] = count
    for labels, count in sorted(counts.items()):
        family.add_metric(list(labels), count)
    return family


def not_delivered_counts() -> Iterator[tuple[int | None, str, int]]:
    """(destination id, status, count) of the outcomes not delivered.

    Asked by destination and status, both given, so that PostgreSQL counts the entries
    of the (destination, status) index alone: by status only, it read each row from the
    table, one page apiece, for the dead and filtered outcomes that pile up with age
    (160-570 ms at a million events, against 6 ms; docs/performance.md, "Growth").
    Deleted destinations are asked for too; a null destination is a row from before
    deletes were soft."""
    others = [status for status in OutcomeStatus.values if status != OutcomeStatus.DELIVERED]
    ids = list(Destination.all_objects.values_list("pk", flat=True))
    for destinations in (Q(destination_id__in=ids), Q(destination__isnull=True)):
        rows = Outcome.objects.filter(destinations, status__in=others).order_by()
        # COUNT(*), not COUNT(id): the index holds no id.
        yield from rows.values_list("destination_id", "status").annotate(n=Count("*"))


def outcome_counts() -> dict[tuple[str, str], int]:
    names = dict(Destination.objects.values_list("pk", "name"))
    sources = set(Source.objects.values_list("pk", flat=True))

    def label(destination_id: int | None) -> str:
        return names.get(destination_id, DELETED_DESTINATION)

    # Every status but delivered, live. They are read before the totals, so an outcome
    # created in between may show as delivered for one scrape, but no count goes below
    # zero.
    counts: dict[tuple[str, str], int] = defaultdict(int)
    not_delivered: dict[str, int] = defaultdict(int)
    for destination_id, status, count in not_delivered_counts():
        counts[(label(destination_id), status)] += count
        not_delivered[label(destination_id)] += count
    totals: dict[str, int] = defaultdict(int)
    for key, total in tallies.current("outcomes").items():
        destination_id, source_id = key.split("|", 1)
        if int(source_id) in sources:  # a deleted source took its outcomes with it
            totals[label(None if destination_id == "None" else int(destination_id))] += total
    for destination, total in totals.items():
        delivered = int(total) - not_delivered[destination]
        if delivered > 0:
            counts[(destination, OutcomeStatus.DELIVERED.value)] = delivered
    return counts


def outcome_metrics() -> Iterator[Metric]:
    counts = outcome_counts()
    by_destination = GaugeMetricFamily(
        "relaycore_outcomes",
        "Route outcomes (one per event and matching route) by destination and status",
        labels=["destination", "status"],
    )
    for (destination, status), count in sorted(counts.items()):
        by_destination.add_metric([destination, status], count)
    yield by_destination
    dead = sum(n for (_, status), n in counts.items() if status == OutcomeStatus.DEAD_LETTERED)
    yield GaugeMetricFamily(
        "relaycore_dead_letters", "Outcomes dead-lettered and not replayed", value=dead
    )
    held = sum(n for (_, status), n in counts.items() if status == OutcomeStatus.HELD)
    yield GaugeMetricFamily(
        "relaycore_held_outcomes",
        "Outcomes held by a paused or disabled destination, a paused route or source",
        value=held,
    )


def attempt_metrics() -> Iterator[Metric]:
    totals = tallies.current("attempts")
    attempts = CounterMetricFamily(
        "relaycore_delivery_attempts",
        "Outbound HTTP attempts; success is a 2xx answer",
        labels=["result"],
    )
    attempts.add_metric(["success"], totals.get("ok", 0))
    attempts.add_metric(["failure"], totals.get("count", 0) - totals.get("ok", 0))
    yield attempts
    cumulative = [
        (_bound_label(bound), totals.get(f"le_{index}", 0))
        for index, bound in enumerate(LATENCY_BUCKETS)
    ]
    cumulative.append(("+Inf", totals.get("count", 0)))
    yield HistogramMetricFamily(
        "relaycore_delivery_attempt_duration_seconds",
        "Duration of outbound HTTP attempts",
        buckets=cumulative,
        sum_value=totals.get("ms", 0) / 1000,
    )


def unstored_signature_failures() -> Iterator[Metric]:
    """Refusals past SIG_FAILED_RECORDS_PER_MINUTE: no row, so Redis keeps the count."""
    by_id = refusals.unstored_totals()
    if by_id is None:
        return
    slugs = dict(Source.objects.values_list("pk", "slug"))
    family = CounterMetricFamily(
        "relaycore_signature_failures_unstored",
        "Requests refused for their signature and not stored (over the per-minute cap)",
        labels=["source"],
    )
    for source_id, count in sorted(by_id.items()):
        if source_id in slugs:
            family.add_metric([slugs[source_id]], count)
    yield family


def broker_metrics() -> Iterator[Metric]:
    queue = _celery_queue_name()
    up = GaugeMetricFamily("relaycore_broker_up", "1 if the broker answered this scrape")
    try:
        waiting = _broker_client(settings.CELERY_BROKER_URL).llen(queue)
    except redis.RedisError:
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    messages = GaugeMetricFamily(
        "relaycore_broker_messages", "Task messages waiting in the broker", labels=["queue"]
    )
    messages.add_metric([queue], waiting)
    yield messages


class RelayCoreCollector:
    """Everything above, gathered on each scrape."""

    def collect(self) -> Iterator[Metric]:
        yield events_by_source_and_status()
        yield from outcome_metrics()
        yield GaugeMetricFamily(
            "relaycore_queue_depth",
            "Events waiting to be routed plus outcomes waiting to be delivered",
            value=queue_depth(),
        )
        yield from attempt_metrics()
        yield from unstored_signature_failures()
        yield from broker_metrics()


REGISTRY = CollectorRegistry(auto_describe=False)
REGISTRY.register(RelayCoreCollector())


def exposition() -> bytes:
    return generate_latest(REGISTRY)


def _bound_label(bound: float) -> str:
    return repr(float(bound))


def _celery_queue_name() -> str:
    from relaycore.celery import app

    return app.conf.task_default_queue


@lru_cache(maxsize=4)
def _broker_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
