"""Prometheus metrics, read from the database and the broker at scrape time.

The figures come from the tables every process shares, not from in-process counters,
so any web process answers the same numbers however many gunicorn workers, Celery
workers and machines there are. One scrape costs five aggregate queries and one LLEN:

    relaycore_events{source,status}                  gauge      stored events by status now
    relaycore_outcomes{destination,status}           gauge      route outcomes by status now
    relaycore_dead_letters                           gauge      outcomes dead-lettered now
    relaycore_queue_depth                            gauge      events to route + outcomes to send
    relaycore_delivery_attempts_total{result}        counter    HTTP attempts, success/failure
    relaycore_delivery_attempt_duration_seconds      histogram  every recorded HTTP attempt
    relaycore_broker_messages{queue}                 gauge      messages waiting in the broker
    relaycore_broker_up                              gauge      1 if the broker answered

Event and outcome rows are kept by retention (only their content is emptied), so the
attempt counter and histogram only grow, and rate() over them works as usual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

import redis
from django.conf import settings
from django.db.models import Count, Q, Sum
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from apps.core.models import (
    DeliveryAttempt,
    Destination,
    OutcomeStatus,
    RouteOutcome,
    Source,
    WebhookDelivery,
)
from apps.monitoring.metrics import queue_depth

# Upper bounds in seconds; destinations time out after 60 s at most.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
DELETED_DESTINATION = "(deleted)"


def events_by_source_and_status() -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "relaycore_events",
        "Stored inbound events by source and status",
        labels=["source", "status"],
    )
    slugs = dict(Source.objects.values_list("pk", "slug"))
    rows = WebhookDelivery.objects.order_by().values_list("source_id", "status")
    for source_id, status, count in rows.annotate(n=Count("pk")):
        family.add_metric([slugs.get(source_id, str(source_id)), status], count)
    return family


def outcome_counts() -> dict[tuple[str, str], int]:
    names = dict(Destination.objects.values_list("pk", "name"))
    rows = RouteOutcome.objects.order_by().values_list("destination_id", "status")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for destination_id, status, count in rows.annotate(n=Count("pk")):
        label = names.get(destination_id, DELETED_DESTINATION)
        counts[(label, status)] += count
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


def attempt_metrics() -> Iterator[Metric]:
    buckets = {
        f"le_{index}": Count("pk", filter=Q(duration_ms__lte=bound * 1000))
        for index, bound in enumerate(LATENCY_BUCKETS)
    }
    ok = Q(status_code__gte=200, status_code__lt=300)
    totals = DeliveryAttempt.objects.aggregate(
        total=Count("pk"), succeeded=Count("pk", filter=ok), seconds=Sum("duration_ms"), **buckets
    )
    attempts = CounterMetricFamily(
        "relaycore_delivery_attempts",
        "Outbound HTTP attempts; success is a 2xx answer",
        labels=["result"],
    )
    attempts.add_metric(["success"], totals["succeeded"])
    attempts.add_metric(["failure"], totals["total"] - totals["succeeded"])
    yield attempts
    cumulative = [
        (_bound_label(bound), totals[f"le_{index}"]) for index, bound in enumerate(LATENCY_BUCKETS)
    ]
    cumulative.append(("+Inf", totals["total"]))
    yield HistogramMetricFamily(
        "relaycore_delivery_attempt_duration_seconds",
        "Duration of outbound HTTP attempts",
        buckets=cumulative,
        sum_value=(totals["seconds"] or 0) / 1000,
    )


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
