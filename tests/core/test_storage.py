"""The hand-written statements of apps.core.storage: their column lists match the models,
and storage.insert writes what bulk_create would, row for row, on the database under test."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from apps.core import storage
from apps.core.models import Attempt, Event, EventStatus, Issue, Outcome, OutcomeStatus
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


def columns(model) -> dict[str, object]:
    return {field.column: field for field in model._meta.concrete_fields}


@pytest.mark.parametrize("statement", sorted(storage.COLUMNS))
def test_every_column_a_statement_names_is_one_of_its_models(statement):
    model, named = storage.COLUMNS[statement]
    assert len(set(named)) == len(named)
    assert set(named) <= set(columns(model)), set(named) - set(columns(model))


def test_the_ingest_insert_leaves_out_only_columns_the_database_can_fill():
    # A new Event field that is neither nullable nor given a db_default would make every
    # ingest fail: it must be added to EVENT_INSERT_COLUMNS (or get a db_default).
    left_out = [
        field
        for column, field in columns(Event).items()
        if column not in storage.EVENT_INSERT_COLUMNS and not field.primary_key
    ]
    unfillable = [f.name for f in left_out if not f.null and f.db_default is NOT_PROVIDED]
    assert unfillable == []


def ingest_row(source_id: int, payload: dict) -> dict:
    """The fields ingest gives storage.insert_event for one received event."""
    return {
        "source_id": source_id,
        "headers": {"x-a": "1"},
        "body": json.dumps(payload).encode(),
        "content_type": "application/json",
        "query_string": "a=1",
        "payload": payload,
        "event_type": "push",
        "idempotency_key": "k",
        "status": EventStatus.RECEIVED,
        "error": "",
        "body_size": None,
        "body_sha256": "",
    }


def test_an_ingested_row_reads_back_through_the_model():
    source = make_source()
    fields = ingest_row(source.pk, {"a": 1})
    assert set(fields) | {"received_at"} == set(storage.EVENT_INSERT_COLUMNS)

    event = Event.objects.get(pk=storage.insert_event(fields))

    assert (event.headers, event.payload, event.status) == ({"x-a": "1"}, {"a": 1}, "received")
    assert (event.routing_failures, event.routed_at, event.received_at is not None) == (
        0,
        None,
        True,
    )


def test_the_workers_updates_change_only_rows_in_the_expected_state(sink):
    source = make_source()
    route = make_route(source, make_destination(sink.url))
    event = Event.objects.create(source=source, status=EventStatus.RECEIVED)
    now = timezone.now()

    verdicts = [{"route": route.pk, "matched": True, "code": "matched", "reason": "matched"}]
    assert storage.mark_routed({event.pk: (EventStatus.ROUTED, verdicts)}, now) == {event.pk}
    again = {event.pk: (EventStatus.FILTERED, [])}
    assert storage.mark_routed(again, now) == set()  # no longer received
    event.refresh_from_db()
    assert (event.status, event.routing, event.routed_at) == (EventStatus.ROUTED, verdicts, now)

    outcome = Outcome.objects.create(event=event, route=route, destination=route.destination)
    assert storage.claim_outcomes([outcome.pk], now, now) == {outcome.pk}
    assert storage.claim_outcomes([outcome.pk], now, now) == set()
    storage.set_delivered([outcome.pk], 204, now)
    outcome.refresh_from_db()
    assert (outcome.status, outcome.attempt_count, outcome.last_status_code) == (
        OutcomeStatus.DELIVERED,
        1,
        204,
    )
    assert outcome.delivered_at == now and outcome.lease_expires_at is None


def test_one_update_gives_each_event_its_own_status_and_verdicts(sink):
    source = make_source()
    events = [Event.objects.create(source=source, status=EventStatus.RECEIVED) for _ in range(4)]
    wanted = {
        events[0].pk: (EventStatus.ROUTED, [{"route": 1, "matched": True}]),
        events[1].pk: (EventStatus.FILTERED, [{"route": 1, "reason": 'it\'s "quoted" é'}]),
        events[2].pk: (EventStatus.NO_ROUTE, []),
        events[3].pk: (EventStatus.FILTERED, [{"route": 2, "matched": False}]),
    }

    assert storage.mark_routed(wanted, timezone.now()) == set(wanted)

    stored = {e.pk: (e.status, e.routing) for e in Event.objects.filter(pk__in=wanted)}
    assert stored == wanted


@pytest.fixture
def event():
    source = make_source()
    return Event.objects.create(source=source, payload={"n": 1}, event_type="push")


def test_instances_get_their_ids_and_read_back_as_written(event, sink):
    routes = [make_route(event.source, make_destination(sink.url)) for _ in range(3)]
    due = timezone.now()
    outcomes = [
        Outcome(
            event=event,
            route=route,
            destination=route.destination,
            status=OutcomeStatus.DELIVERING,
            next_attempt_at=due,
        )
        for route in routes
    ]

    storage.insert(outcomes)

    assert all(outcome.pk for outcome in outcomes)
    for outcome in outcomes:
        saved = Outcome.objects.get(pk=outcome.pk)
        assert (saved.route_id, saved.destination_id) == (outcome.route_id, outcome.destination_id)
        assert saved.status == OutcomeStatus.DELIVERING
        assert saved.next_attempt_at == due
        assert saved.message_id == outcome.message_id and saved.message_id.startswith("msg_")
        assert saved.created_at is not None and saved.updated_at is not None
        assert saved.attempt_count == 0 and saved.last_error == ""
    # The instances are usable as saved ones: an update goes to the same row.
    outcomes[0].last_error = "changed"
    outcomes[0].save(update_fields=["last_error"])
    assert Outcome.objects.get(pk=outcomes[0].pk).last_error == "changed"


def test_more_rows_than_one_statement_takes_are_all_written_in_order(event, sink):
    route = make_route(event.source, make_destination(sink.url))
    outcome = Outcome.objects.create(event=event, route=route, destination=route.destination)
    attempts = [
        Attempt(
            outcome=outcome,
            number=n,
            started_at=timezone.now(),
            duration_ms=float(n),
            status_code=200,
            response_body=f"reply {n}",
        )
        for n in range(1, 2502)
    ]

    storage.insert(attempts)

    saved = {a.pk: (a.number, a.response_body) for a in Attempt.objects.all()}
    assert len(saved) == 2501
    assert all(saved[a.pk] == (a.number, f"reply {a.number}") for a in attempts)


def test_nothing_to_insert_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        storage.insert([])


@pytest.mark.django_db(transaction=True)
def test_failures_counted_into_one_issue_by_many_threads_at_once_are_all_counted(sink):
    destination = make_destination(sink.url)

    def record(n: int) -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    failures = {
                        (destination.pk, "http_5xx"): (2, f"HTTP 500 from {n}", 500),
                        (destination.pk, "timeout"): (1, "timed out after 1 s", None),
                    }
                    storage.upsert_issues(failures, timezone.now())
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(record, range(4)))

    counts = dict(Issue.objects.values_list("kind", "count"))
    assert counts == {"http_5xx": 80, "timeout": 40}


def test_every_kind_of_column_reads_back_as_written_in_a_many_row_insert(event, sink):
    # PostgreSQL gets the rows as one array per column (unnest): JSON, NULLs, booleans,
    # floats, quotes, commas, braces and non-ASCII text must all survive that encoding.
    route = make_route(event.source, make_destination(sink.url))
    outcome = Outcome.objects.create(event=event, route=route, destination=route.destination)
    tricky = 'a "quoted", {braced} \\ back\\slashed, ünïcode 🎉 text\nline two'
    written = [
        Attempt(
            outcome=outcome,
            destination=route.destination,
            number=1,
            started_at=timezone.now(),
            duration_ms=1.25,
            status_code=None,
            error=tricky,
            request_method="POST",
            request_headers={"X-A": tricky, "n": "1"},
            request_body=tricky,
            request_body_size=None,
            request_body_truncated=True,
            response_headers={},
        ),
        Attempt(
            outcome=outcome,
            number=2,
            started_at=timezone.now(),
            duration_ms=0.0,
            status_code=204,
            response_body="",
            request_headers={"nested": "{}", "empty": ""},
            request_body_size=12,
            response_headers={"Set-Cookie": "[redacted]"},
        ),
    ]

    storage.insert(written)

    for attempt in written:
        saved = Attempt.objects.get(pk=attempt.pk)
        for field in Attempt._meta.concrete_fields:
            assert getattr(saved, field.attname) == getattr(attempt, field.attname), field.name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statement is PostgreSQL's")
def test_each_point_finds_the_last_unfinished_outcome_before_it_in_its_line(sink):
    source = make_source()
    route = make_route(source, make_destination(sink.url), ordering_key="$.repo")

    def outcome(key: str, status: str) -> Outcome:
        event = Event.objects.create(source=source, status=EventStatus.ROUTED)
        return Outcome.objects.create(
            event=event, route=route, destination=route.destination, ordering_key=key, status=status
        )

    pending = outcome("a", OutcomeStatus.RETRYING)
    dead = outcome("a", OutcomeStatus.DEAD_LETTERED)
    outcome("a", OutcomeStatus.DELIVERED)
    outcome("b", OutcomeStatus.PENDING)  # another key's
    later = outcome("a", OutcomeStatus.WAITING)
    first_b = Outcome.objects.filter(ordering_key="b").get()

    found = storage.last_unfinished(
        [
            (route.pk, "a", later.event_id, False),  # dead letters let it go: the retrying
            (route.pk, "a", later.event_id, True),  # they block: the dead letter
            (route.pk, "a", pending.event_id, False),  # nothing before the first
            (route.pk, "b", later.event_id, False),
            (route.pk, "c", later.event_id, False),  # a line of none
        ]
    )

    assert found == [pending.pk, dead.pk, None, first_b.pk, None]
    assert storage.last_unfinished([]) == []


def test_routing_reads_an_event_and_its_source_as_the_orm_reads_them():
    source = make_source()
    pk = storage.insert_event(ingest_row(source.pk, {"a": [1, 2]}))

    [read] = storage.received_events([pk, pk + 1000])
    expected = Event.objects.get(pk=pk)

    for field in Event._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.source.pk == source.pk and read.source.slug == source.slug
    assert read.source.get_deferred_fields() == set(storage.SOURCE_SECRETS)


def test_a_destination_read_for_some_fields_has_them_whatever_their_order():
    destination = make_destination("http://127.0.0.1:9/", consecutive_failures=3, paused=True)

    [read] = storage.destinations_now([destination.pk], ("consecutive_failures", "paused"))

    assert (read.pk, read.paused, read.consecutive_failures) == (destination.pk, True, 3)
    assert "url" in read.get_deferred_fields()
