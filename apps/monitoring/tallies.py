"""Running totals for /metrics, so that a scrape costs the rows since the last Beat run,
not every row ever stored.

Event, outcome and attempt rows are kept for good (retention empties content, not
rows), so counting them all on each scrape grows with the gateway's age: 2 seconds a
scrape at 2 million events here (docs/performance.md). Instead, Beat folds the rows up
to an id mark into a MetricTally, and a scrape adds the rows after the mark, read by
primary-key range.

Two rules keep the totals exact:
- a mark moves only onto ids no open transaction can still fill in below: ids are taken
  at INSERT, so a lower id can still appear while its transaction is open. On
  PostgreSQL, a candidate mark notes its snapshot's xmax (one past the newest completed
  transaction). A transaction holding a lower id took it before the one that committed
  the candidate's row took its own, and takes its transaction id with it, so that id is
  below xmax; the candidate settles once no such transaction is open (and QUICK_SETTLE
  has passed: time for one caught between taking its id and its transaction id, a
  window of microseconds, to end; ours last milliseconds). SQLite writes one
  transaction at a time, and an open one's ids are above every committed id. Either way
  a candidate settles at the latest SETTLE after it was seen, as it always did, so one
  session left idle in a transaction cannot hold the tallies back for good;
- the event mark stops before the oldest event still waiting to be routed, since
  routing changes its status. Statuses past the mark are final (received -> routed,
  filtered, no_route or routing_failed, once), except that a manual re-route can turn
  filtered, no_route or routing_failed into another: such an event stays counted under
  its earlier status.
  Outcome statuses change back and forth (replay), so outcomes are tallied by
  destination and source only; the statuses are counted live where they are few.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    MetricTally,
    Outcome,
)

# Beat advances the tallies every TALLY_INTERVAL_SECONDS (5), and a candidate settles
# after QUICK_SETTLE when no transaction could still fill in below it, so a scrape reads
# only the last seconds of traffic from the tables (at 600 events/s, the minute or two
# it read before cost a scrape 0.6 s: docs/performance.md, growth). SETTLE: at the latest.
QUICK_SETTLE = timedelta(seconds=2)
SETTLE = timedelta(seconds=60)
# Upper bounds in seconds; destinations time out after 60 s at most.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

Totals = dict[str, float]


def _events(rows: models.QuerySet) -> Totals:
    grouped = rows.order_by().values_list("source_id", "status").annotate(n=Count("pk"))
    return {f"{source_id}|{status}": n for source_id, status, n in grouped}


def _outcomes(rows: models.QuerySet) -> Totals:
    # By source too: deleting a source deletes its events' outcomes, and a scrape then
    # leaves that part of the tally out.
    fields = ("destination_id", "event__source_id")
    grouped = rows.order_by().values_list(*fields).annotate(n=Count("pk"))
    return {f"{destination_id}|{source_id}": n for destination_id, source_id, n in grouped}


def _attempts(rows: models.QuerySet) -> Totals:
    buckets = {
        f"le_{index}": Count("pk", filter=Q(duration_ms__lte=bound * 1000))
        for index, bound in enumerate(LATENCY_BUCKETS)
    }
    ok = Q(status_code__gte=200, status_code__lt=300)
    found = rows.order_by().aggregate(
        count=Count("pk"), ok=Count("pk", filter=ok), ms=Sum("duration_ms"), **buckets
    )
    return {key: value or 0 for key, value in found.items()}


def _oldest_unrouted() -> int | None:
    return Event.objects.filter(status=EventStatus.RECEIVED).aggregate(m=Min("pk"))["m"]


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    count: Callable[[models.QuerySet], Totals]
    # The highest id whose row may no longer change what `count` answers.
    stable_below: Callable[[], int | None] = lambda: None


TABLES = {
    "events": Table(Event, _events, _oldest_unrouted),
    "outcomes": Table(Outcome, _outcomes),
    "attempts": Table(Attempt, _attempts),
}


def merged(a: Totals, b: Totals) -> Totals:
    out = dict(a)
    for key, value in b.items():
        out[key] = out.get(key, 0) + value
    return out


def current(name: str) -> Totals:
    """Totals over every row now: the tally (one read, so mark and totals agree) plus
    the rows after its mark."""
    table = TABLES[name]
    through, totals = (
        MetricTally.objects.filter(name=name).values_list("through_id", "totals").first()
    ) or (0, {})
    return merged(totals, table.count(table.model.objects.filter(pk__gt=through)))


def _snapshot_xmax() -> int | None:
    """One past the newest transaction PostgreSQL has completed (None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _in_flight_below(xmax: int | None) -> bool:
    """Whether a writing transaction begun before `xmax` may still be open in this
    database (this one aside). The snapshot lists every open transaction of the server;
    those that pg_stat_activity shows in another database are left out, so another
    database's long transaction does not hold our marks back, while one it cannot place
    (another role's session, whose ids it hides) still does."""
    if xmax is None or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_snapshot_xip(pg_current_snapshot()) AS open"
            " WHERE open < %s::text::xid8 AND open::text::bigint %% 4294967296 NOT IN ("
            "  SELECT backend_xid::text::bigint FROM pg_stat_activity"
            "  WHERE datname <> current_database() AND backend_xid IS NOT NULL))",
            [str(xmax)],
        )
        return cursor.fetchone()[0]


def _settled(tally: MetricTally, now: datetime) -> bool:
    if tally.candidate_at is None:
        return False
    age = now - tally.candidate_at
    return age >= SETTLE or (age >= QUICK_SETTLE and not _in_flight_below(tally.candidate_xmax))


def advance(name: str, now: datetime | None = None) -> MetricTally:
    """Fold the rows that can no longer change into the tally; Beat, every few seconds.

    The rows are read outside any transaction and the tally written with one UPDATE that
    applies only if no other run moved it meanwhile: a run holds no lock while it reads
    the tables, so it cannot deadlock with a TRUNCATE or a migration that takes them in
    another order."""
    now = now or timezone.now()
    table = TABLES[name]
    tally, _ = MetricTally.objects.get_or_create(name=name)
    settled = _settled(tally, now)
    if tally.candidate_at is not None and not settled:
        return tally  # nothing can move yet, so nothing is written
    seen = {
        "through_id": tally.through_id,
        "candidate_id": tally.candidate_id,
        "candidate_at": tally.candidate_at,
    }
    if settled:
        mark = tally.candidate_id
        pinned = table.stable_below()
        if pinned is not None:
            mark = min(mark, pinned - 1)
        if mark > tally.through_id:
            rows = table.model.objects.filter(pk__gt=tally.through_id, pk__lte=mark)
            tally.totals = merged(tally.totals, table.count(rows))
            tally.through_id = mark
    tally.candidate_id = table.model.objects.aggregate(m=Max("pk"))["m"] or 0
    # Read after the id: a transaction holding a lower one has its number by now.
    tally.candidate_xmax = _snapshot_xmax()
    tally.candidate_at = now
    changed = {
        field: getattr(tally, field)
        for field in ("through_id", "totals", "candidate_id", "candidate_xmax", "candidate_at")
    }
    if MetricTally.objects.filter(name=name, **seen).update(**changed, updated_at=now):
        return tally
    return MetricTally.objects.get(name=name)  # another run moved it first


def advance_all(now: datetime | None = None) -> None:
    for name in TABLES:
        advance(name, now)


def events_by_source() -> dict[int, int]:
    """Every stored event, by source id: the tally plus the rows after its mark."""
    counts: dict[int, int] = {}
    for key, count in current("events").items():
        source_id = int(key.split("|", 1)[0])
        counts[source_id] = counts.get(source_id, 0) + int(count)
    return counts
