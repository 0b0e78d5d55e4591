"""/metrics stays right when Beat folds old rows into tallies (apps/monitoring/tallies.py)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    MetricTally,
    Outcome,
    OutcomeStatus,
)
from apps.monitoring import tallies
from apps.monitoring.tasks import advance_tallies
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db
TOKEN = "tally-token"
WAITING_FOR = "SELECT EXISTS (SELECT FROM pg_locks WHERE NOT granted AND relation = %s::regclass)"


@pytest.fixture(autouse=True)
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def settle_twice(start=None):
    """Two Beat runs a settle period apart: the first picks the mark, the second moves it."""
    start = start or timezone.now()
    tallies.advance_all(start)
    tallies.advance_all(start + tallies.SETTLE + timedelta(seconds=1))
    return start + tallies.SETTLE + timedelta(seconds=1)


def deliver(route, event, status=OutcomeStatus.DELIVERED, ms=20.0, code=200):
    outcome = Outcome.objects.create(
        event=event, route=route, destination=route.destination, status=status
    )
    Attempt.objects.create(
        outcome=outcome, number=1, started_at=timezone.now(), duration_ms=ms, status_code=code
    )
    return outcome


@pytest.fixture
def github():
    source = make_source(slug="github")
    return source, make_route(source, make_destination("http://127.0.0.1:9/", name="slack"))


def test_figures_are_the_same_before_and_after_beat_folds_the_rows(client, github):
    source, route = github
    for status in (EventStatus.ROUTED, EventStatus.ROUTED, EventStatus.DUPLICATE):
        event = Event.objects.create(source=source, body=b"{}", status=status)
    deliver(route, Event.objects.filter(status=EventStatus.ROUTED).first())
    deliver(route, event, OutcomeStatus.DEAD_LETTERED, ms=3000.0, code=500)
    before = scrape(client)

    settle_twice()

    assert MetricTally.objects.get(name="events").through_id == event.pk
    assert scrape(client) == before
    assert value(before, "relaycore_events", source="github", status="routed") == 2
    assert value(before, "relaycore_outcomes", destination="slack", status="delivered") == 1
    assert value(before, "relaycore_dead_letters") == 1
    assert value(before, "relaycore_delivery_attempts_total", result="failure") == 1


def test_rows_stored_after_the_mark_are_added_to_the_tally(client, github):
    source, route = github
    first = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    deliver(route, first)
    later = settle_twice()

    second = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    deliver(route, second, ms=7.0)
    samples = scrape(client)

    assert value(samples, "relaycore_events", source="github", status="routed") == 2
    assert value(samples, "relaycore_outcomes", destination="slack", status="delivered") == 2
    assert value(samples, "relaycore_delivery_attempts_total", result="success") == 2
    histogram = "relaycore_delivery_attempt_duration_seconds"
    assert value(samples, f"{histogram}_bucket", le="0.01") == 1
    assert value(samples, f"{histogram}_sum") == pytest.approx(0.027)

    # Folding them in later changes nothing a scrape shows.
    tallies.advance_all(later + tallies.SETTLE + timedelta(seconds=1))
    tallies.advance_all(later + 2 * tallies.SETTLE + timedelta(seconds=2))
    assert MetricTally.objects.get(name="events").through_id == second.pk
    assert scrape(client) == samples


def test_the_mark_moves_onto_rows_seen_a_few_seconds_before_when_no_writer_is_open(github):
    source, _ = github
    start = timezone.now()
    seen = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    tallies.advance("events", start)
    Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)

    assert tallies.advance("events", start + timedelta(seconds=1)).through_id == 0
    moved = tallies.advance("events", start + tallies.QUICK_SETTLE + timedelta(seconds=1))
    assert moved.through_id == seen.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_holding_a_lower_id_holds_the_mark_until_it_commits(client):
    source = make_source(slug="github")
    took_an_id, may_commit = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
                took_an_id.set()
                may_commit.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert took_an_id.wait(10)
    later = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    start = timezone.now()
    tallies.advance("events", start)

    # A row below the candidate is still uncommitted: the mark must not pass it.
    assert tallies.advance("events", start + timedelta(seconds=10)).through_id == 0

    may_commit.set()
    writer.join(10)
    moved = tallies.advance("events", start + timedelta(seconds=11))
    assert moved.through_id == later.pk
    assert tallies.events_by_source() == {source.pk: 2}
    assert value(scrape(client), "relaycore_events", source="github", status="routed") == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one database file")
def test_an_open_transaction_of_another_database_does_not_hold_the_mark(github):
    source, _ = github
    seen = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    elsewhere = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**elsewhere) as other, psycopg.connect(**elsewhere) as later:
        other.execute("SELECT pg_current_xact_id()")  # open, with a transaction id
        later.execute("SELECT pg_current_xact_id()")
        later.commit()  # a newer one completed: the open one is below the snapshot's xmax
        start = timezone.now()
        tallies.advance("events", start)

        moved = tallies.advance("events", start + tallies.QUICK_SETTLE + timedelta(seconds=1))

        assert moved.through_id == seen.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole file")
@pytest.mark.django_db(transaction=True)
def test_a_beat_run_holds_no_lock_on_the_tally_while_it_waits_for_a_table():
    source = make_source(slug="github")
    Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    tallies.advance("events")
    events, tally = Event._meta.db_table, MetricTally._meta.db_table
    finished = threading.Event()

    def beat_run():
        try:
            tallies.advance("events", timezone.now() + tallies.SETTLE)
            finished.set()
        finally:
            connection.close()

    # As a test's teardown does: the tables locked one after another, in one transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {events} IN ACCESS EXCLUSIVE MODE")
        run = threading.Thread(target=beat_run)
        run.start()
        for _ in range(200):  # until the run waits for the events table
            cursor.execute(WAITING_FOR, [events])
            if cursor.fetchone()[0]:
                break
            time.sleep(0.01)
        cursor.execute("SET LOCAL lock_timeout = '2s'")
        cursor.execute(f"LOCK TABLE {tally} IN ACCESS EXCLUSIVE MODE")  # no deadlock, no wait
    run.join(10)

    assert finished.is_set()
    assert MetricTally.objects.get(name="events").totals == {f"{source.pk}|routed": 1}


def test_an_event_waiting_to_be_routed_holds_the_mark_until_it_is_routed(client, github):
    source, _ = github
    waiting = Event.objects.create(source=source, body=b"{}", status=EventStatus.RECEIVED)
    Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    settle_twice()
    assert MetricTally.objects.get(name="events").through_id == waiting.pk - 1

    Event.objects.filter(pk=waiting.pk).update(status=EventStatus.NO_ROUTE)
    samples = scrape(client)

    assert value(samples, "relaycore_events", source="github", status="received") == 0
    assert value(samples, "relaycore_events", source="github", status="no_route") == 1
    assert value(samples, "relaycore_events", source="github", status="routed") == 1


def test_filtered_events_are_counted_apart_from_those_with_no_route(client, github):
    source, _ = github
    Event.objects.create(source=source, body=b"{}", status=EventStatus.FILTERED)
    settle_twice()
    Event.objects.create(source=source, body=b"{}", status=EventStatus.FILTERED)
    Event.objects.create(source=source, body=b"{}", status=EventStatus.NO_ROUTE)

    samples = scrape(client)

    assert value(samples, "relaycore_events", source="github", status="filtered") == 2
    assert value(samples, "relaycore_events", source="github", status="no_route") == 1


def test_a_replayed_dead_letter_counts_as_delivered_once_it_is(client, github):
    source, route = github
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    dead = deliver(route, event, OutcomeStatus.DEAD_LETTERED, code=500)
    settle_twice()
    assert value(scrape(client), "relaycore_dead_letters") == 1

    Outcome.objects.filter(pk=dead.pk).update(status=OutcomeStatus.DELIVERED)
    samples = scrape(client)

    assert value(samples, "relaycore_dead_letters") == 0
    assert value(samples, "relaycore_outcomes", destination="slack", status="delivered") == 1
    assert value(samples, "relaycore_outcomes", destination="slack", status="dead_lettered") == 0


def test_outcomes_of_a_deleted_destination_are_reported_under_deleted(client, github):
    source, route = github
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    deliver(route, event)
    settle_twice()

    route.delete()
    route.destination.delete()
    samples = scrape(client)

    assert value(samples, "relaycore_outcomes", destination="(deleted)", status="delivered") == 1
    assert value(samples, "relaycore_outcomes", destination="slack", status="delivered") == 0


def test_beat_moves_the_marks_every_few_seconds(settings, github):
    source, _ = github
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    schedule = settings.CELERY_BEAT_SCHEDULE["advance-metric-tallies"]
    assert schedule["task"] == advance_tallies.name
    assert schedule["schedule"] <= 5

    advance_tallies()

    assert set(MetricTally.objects.values_list("name", flat=True)) == set(tallies.TABLES)
    assert MetricTally.objects.get(name="events").candidate_id == event.pk


def test_a_deleted_source_takes_its_events_and_outcomes_out_of_the_figures(client, github):
    source, route = github
    other = make_source(slug="stripe")
    make_route(other, route.destination)
    for each in (source, other):
        event = Event.objects.create(source=each, body=b"{}", status=EventStatus.ROUTED)
        deliver(route, event)
    settle_twice()

    other.routes.all().delete()
    other.delete()
    samples = scrape(client)

    assert value(samples, "relaycore_events", source="stripe", status="routed") == 0
    assert value(samples, "relaycore_outcomes", destination="slack", status="delivered") == 1
    # Attempts are a counter: what was sent stays counted.
    assert value(samples, "relaycore_delivery_attempts_total", result="success") == 2
