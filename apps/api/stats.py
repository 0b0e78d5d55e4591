"""Figures for the dashboard: per-source counters, the metric series, a live summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from apps.core.models import (
    Event,
    EventStatus,
    MetricPoint,
    Outcome,
    OutcomeStatus,
    Source,
)
from apps.ingestion import refusals
from apps.monitoring import tallies

DAY = timedelta(hours=24)
MAX_POINTS = 5000
RECENT_FAILURES = 10


class RowCount(Subquery):
    """The number of rows of a subquery, as a column of the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def with_source_stats(sources: QuerySet[Source], now: datetime | None = None) -> QuerySet[Source]:
    """The 24-hour figures are subqueries on a range of the (source, received_at) index,
    the last event one probe of it. A join grouped by source read every event of the
    page's sources, twice (the page and the paginator's count): 0.8 s for 2 million
    events (docs/performance.md). The all-time total and the signature failures are
    read once a page: see PageTotals."""
    since = (now or timezone.now()) - DAY
    events = Event.objects.filter(source=OuterRef("pk")).order_by()
    recent = events.filter(received_at__gte=since)

    def count(queryset: QuerySet) -> RowCount:
        return RowCount(queryset.values("source"))  # a column of the index: index-only

    return sources.annotate(
        events_24h=count(recent),
        last_event_at=Subquery(events.order_by("-received_at").values("received_at")[:1]),
    )


def sig_failed_by_source(since: datetime) -> dict[int, int]:
    """Stored signature failures since `since`, by source id: one range of the (status,
    received_at) index for every source. As a subquery per source, PostgreSQL ANDed that
    range with every event of the source's own index (a bitmap of 200,000 rows a source,
    0.37 s a page at 2 million events; docs/performance.md, "Growth"). The rows are few:
    SIG_FAILED_RECORDS_PER_MINUTE caps them."""
    rows = Event.objects.filter(status=EventStatus.SIG_FAILED, received_at__gte=since)
    grouped = rows.order_by().values_list("source_id").annotate(n=Count("*"))
    return dict(grouped)


def with_held_counts(rows: QuerySet, kind: str) -> QuerySet:
    """Each destination's (kind "destination") or route's ("route") held outcomes, as
    `held_count`: a subquery on the (kind, status) index, not a join."""
    held = Outcome.objects.filter(**{kind: OuterRef("pk"), "status": OutcomeStatus.HELD})
    return rows.annotate(held_count=RowCount(held.order_by().values(kind)))


def held_count(obj: Any, kind: str) -> int:
    """The annotation when the row was read with it, else one count."""
    annotated = getattr(obj, "held_count", None)
    if annotated is not None:
        return annotated
    return Outcome.objects.filter(**{kind: obj, "status": OutcomeStatus.HELD}).count()


@dataclass(frozen=True)
class PageTotals:
    """The source figures read once for a whole page of sources, not once per source:
    all-time event counts from the metric tallies Beat keeps (counting a source's events
    grows with its age), and refusals past SIG_FAILED_RECORDS_PER_MINUTE (Redis only)."""

    events: dict[int, int]
    refused_24h: dict[int, int]
    sig_failed_24h: dict[int, int]

    @classmethod
    def read(cls, now: datetime | None = None) -> PageTotals:
        since = (now or timezone.now()) - DAY
        return cls(
            tallies.events_by_source(),
            refusals.unstored_last_day(),
            sig_failed_by_source(since),
        )


def source_stats(source: Source, totals: PageTotals) -> dict[str, Any]:
    """The annotated figures, or a query for them when the source was not annotated."""
    if not hasattr(source, "events_24h"):
        source = with_source_stats(Source.objects.filter(pk=source.pk)).get()
    return {
        "events_total": totals.events.get(source.pk, 0),
        "events_24h": source.events_24h,
        "sig_failed_24h": (
            totals.sig_failed_24h.get(source.pk, 0) + totals.refused_24h.get(source.pk, 0)
        ),
        "last_event_at": source.last_event_at,
    }


def metric_points(since: datetime, fields: list[str]) -> list[dict[str, Any]]:
    """Samples since `since`, oldest first (at most the newest MAX_POINTS), as plain rows
    of `fields`: a day of samples is 1,440 of them, and a serializer per row took most of
    the request's 350 ms (docs/performance.md, "Growth")."""
    newest = MetricPoint.objects.filter(collected_at__gte=since).order_by("-collected_at")
    return list(reversed(newest.values(*fields)[:MAX_POINTS]))


def _recent_failures() -> list[dict[str, Any]]:
    failing = (
        Outcome.objects.filter(status__in=[OutcomeStatus.DEAD_LETTERED, OutcomeStatus.RETRYING])
        .select_related("destination")
        .order_by("-updated_at", "-id")[:RECENT_FAILURES]
    )
    return [
        {
            "outcome_id": outcome.pk,
            "event_id": outcome.event_id,
            "destination_name": outcome.destination.name if outcome.destination else "",
            "status": outcome.status,
            "last_error": outcome.last_error,
            "updated_at": outcome.updated_at,
        }
        for outcome in failing
    ]


def summary(now: datetime | None = None) -> dict[str, Any]:
    """Live figures over the last 24 hours, read from the tables (not from samples)."""
    from apps.monitoring.metrics import attempts_after, dead_letters_now, event_counts, queue_depth

    now = now or timezone.now()
    since = now - DAY
    events = event_counts(since, now)
    attempts = attempts_after(since, now)  # the dashboard polls it: no scan by time
    outcomes = Outcome.objects
    return {
        "events_received_24h": events["received"],
        "delivered_24h": attempts["delivered"],
        "failed_attempts_24h": attempts["total"] - attempts["succeeded"],
        "dead_letters": dead_letters_now(),  # what the chart's samples count, live
        "duplicates_24h": events["duplicate"],
        "sig_failed_24h": events["sig_failed"] + sum(refusals.unstored_last_day().values()),
        "filtered_24h": events["filtered"],
        "no_route_24h": events["no_route"],
        "queue_depth": queue_depth(),
        "held": outcomes.filter(status=OutcomeStatus.HELD).count(),
        "waiting": outcomes.filter(status=OutcomeStatus.WAITING).count(),
        "success_rate_24h": (
            attempts["succeeded"] / attempts["total"] if attempts["total"] else None
        ),
        "recent_failures": _recent_failures(),
    }


def attach_outcome_counts(events: list[Event]) -> list[Event]:
    """Set on each event how many of its outcomes are in each status (`outcomes_<status>`),
    in one grouped query over the page's events. Annotating the list's queryset instead
    made the database count for every row an OFFSET skips, and a join grouped by event
    joined and grouped every event before the page was cut (4 s for 500,000 events;
    docs/performance.md, "Growth")."""
    counts: dict[tuple[int, str], int] = {}
    grouped = (
        Outcome.objects.filter(event_id__in=[event.pk for event in events])
        .order_by()
        .values_list("event_id", "status")
        .annotate(n=Count("pk"))
    )
    for event_id, status, n in grouped:
        counts[event_id, status] = n
    for event in events:
        for status in OutcomeStatus.values:
            setattr(event, f"outcomes_{status}", counts.get((event.pk, status), 0))
    return events
