"""The throughput path: events routed in batches, outcomes sent by the sender's threads
and recorded in bulk, against real local HTTP servers. The recorder writes from its own
thread (its own database connection), so these tests commit for real."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import (
    Attempt,
    Destination,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
)
from apps.delivery import batch, tasks
from apps.routing import table
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply, Sink

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


@pytest.fixture
def other_sink():
    server = Sink()
    yield server
    server.close()


def stored(source, payload: dict, event_type: str = "push") -> int:
    return Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        content_type="application/json",
        event_type=event_type,
        status=EventStatus.RECEIVED,
    ).pk


def process(event_ids: list[int]) -> int:
    routed = tasks.process_events(event_ids)
    assert batch.wait_idle(timeout=30)
    return routed


def test_a_batch_of_events_fans_out_and_every_attempt_is_recorded(sink, other_sink):
    source = make_source()
    make_route(source, make_destination(sink.url, name="one"), name="to-one")
    make_route(source, make_destination(other_sink.url, name="two"), name="to-two")
    ids = [stored(source, {"n": n}) for n in range(20)]

    assert process(ids) == 40

    assert sorted(r.json()["n"] for r in sink.wait_for(20)) == list(range(20))
    assert sorted(r.json()["n"] for r in other_sink.wait_for(20)) == list(range(20))
    outcomes = Outcome.objects.all()
    assert {(o.status, o.attempt_count, o.total_attempts) for o in outcomes} == {
        (OutcomeStatus.DELIVERED, 1, 1)
    }
    recent = timezone.now() - timedelta(minutes=1)
    assert all(o.delivered_at > recent and o.last_status_code == 200 for o in outcomes)
    assert all(o.next_attempt_at is None and o.lease_expires_at is None for o in outcomes)
    assert Attempt.objects.filter(status_code=200, number=1).count() == 40
    assert set(Event.objects.values_list("status", flat=True)) == {EventStatus.ROUTED}
    assert all(routed > recent for routed in Event.objects.values_list("routed_at", flat=True))


def test_every_attempt_names_the_destination_it_was_sent_to(sink, other_sink):
    source = make_source()
    one = make_destination(sink.url, name="one")
    two = make_destination(other_sink.url, name="two")
    make_route(source, one, name="to-one")
    make_route(source, two, name="to-two")

    assert process([stored(source, {"n": 1})]) == 2

    sink.wait_for(1)
    other_sink.wait_for(1)
    attempts = Attempt.objects.select_related("outcome")
    assert sorted(a.destination_id for a in attempts) == sorted([one.pk, two.pk])
    assert all(a.destination_id == a.outcome.destination_id for a in attempts)


def test_an_event_no_route_takes_is_filtered_and_one_without_routes_is_no_route(sink):
    source, bare = make_source(), make_source(slug="bare")
    make_route(source, make_destination(sink.url), event_types=["push"])
    matched, unmatched = stored(source, {}, "push"), stored(source, {}, "issues")
    lonely = stored(bare, {}, "push")

    assert process([matched, unmatched, lonely]) == 1
    assert Event.objects.get(pk=unmatched).status == EventStatus.FILTERED
    assert Event.objects.get(pk=matched).status == EventStatus.ROUTED
    assert Event.objects.get(pk=lonely).status == EventStatus.NO_ROUTE


def test_the_same_batch_delivered_twice_sends_each_event_once(sink):
    source = make_source()
    make_route(source, make_destination(sink.url))
    ids = [stored(source, {"n": n}) for n in range(5)]

    process(ids)
    assert process(ids) == 0  # a redelivered message finds the events routed
    assert len(sink.wait_for(5)) == 5
    assert Outcome.objects.count() == 5


def test_failures_are_recorded_and_scheduled_for_a_retry(sink, settings):
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 60
    sink.default = Reply(status=503)
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    ids = [stored(source, {"n": n}) for n in range(3)]

    process(ids)

    for outcome in Outcome.objects.all():
        assert outcome.status == OutcomeStatus.RETRYING
        assert outcome.attempt_count == 1
        assert outcome.next_attempt_at > timezone.now()
        assert outcome.last_status_code == 503
        assert outcome.lease_expires_at is None
    assert Attempt.objects.filter(status_code=503).count() == 3
    destination.refresh_from_db()
    assert destination.consecutive_failures == 3
    assert "503" in destination.last_error


def test_outcomes_wait_in_their_lane_instead_of_being_postponed(sink, settings):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1
    sink.default = Reply(delay=0.2)
    source = make_source()
    make_route(source, make_destination(sink.url))
    ids = [stored(source, {"n": n}) for n in range(4)]

    process(ids)

    arrivals = [r.at for r in sink.wait_for(4)]
    # One at a time: each request arrived after the previous one was answered.
    assert all(
        later - earlier >= 0.19 for earlier, later in zip(arrivals, arrivals[1:], strict=False)
    )
    assert Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == 4


def test_outcomes_that_wait_too_long_in_their_lane_go_back_to_the_schedule(
    sink, settings, monkeypatch
):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1
    monkeypatch.setattr(batch, "LANE_WAIT_SECONDS", 0.2)
    sink.default = Reply(delay=1.5)
    source = make_source()
    make_route(source, make_destination(sink.url, timeout_seconds=5))
    ids = [stored(source, {"n": n}) for n in range(3)]

    process(ids)

    statuses = sorted(Outcome.objects.values_list("status", flat=True))
    assert statuses == [OutcomeStatus.DELIVERED, OutcomeStatus.PENDING, OutcomeStatus.PENDING]
    for outcome in Outcome.objects.filter(status=OutcomeStatus.PENDING):
        assert outcome.next_attempt_at > timezone.now()  # later, not lost
        assert outcome.attempt_count == 0
    assert len(sink.requests) == 1


def test_a_lane_that_keeps_answering_keeps_its_backlog_past_the_wait(sink, settings, monkeypatch):
    # Each answer takes 0.2 s, one at a time: the last of ten waits about 1.8 s in its
    # lane, longer than the 1 s a lane that answers nothing is given, and is still sent
    # without going back to the schedule.
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1
    monkeypatch.setattr(batch, "LANE_WAIT_SECONDS", 1.0)
    sink.default = Reply(delay=0.2)
    source = make_source()
    make_route(source, make_destination(sink.url, timeout_seconds=5))
    ids = [stored(source, {"n": n}) for n in range(10)]

    process(ids)

    statuses = set(Outcome.objects.values_list("status", flat=True))
    assert statuses == {OutcomeStatus.DELIVERED}
    assert len(sink.requests) == 10


def test_a_hanging_destination_does_not_hold_up_a_healthy_one(sink, other_sink, settings):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 2
    other_sink.default = Reply(delay=2.0)
    source = make_source()
    make_route(source, make_destination(sink.url, name="healthy"), name="healthy")
    make_route(
        source, make_destination(other_sink.url, name="hanging", timeout_seconds=5), name="hang"
    )
    ids = [stored(source, {"n": n}) for n in range(10)]

    tasks.process_events(ids)  # returns before any destination has answered

    healthy = sink.wait_for(10, timeout=1.5)
    assert len(healthy) == 10
    assert len(other_sink.requests) <= 2  # the hanging one holds only its cap
    assert batch.wait_idle(timeout=30)


def test_a_claim_of_many_is_exclusive_and_waits_for_the_retry_time(sink):
    source = make_source()
    route = make_route(source, make_destination(sink.url))
    now = timezone.now()
    due, later = (
        Outcome.objects.create(
            event_id=stored(source, {}),
            route=route,
            destination=route.destination,
            next_attempt_at=when,
        )
        for when in (now, now + timedelta(minutes=5))
    )

    claimed = batch.claim_many([due.pk, later.pk])
    assert [o.pk for o in claimed] == [due.pk]
    assert claimed[0].status == OutcomeStatus.DELIVERING
    assert batch.claim_many([due.pk, later.pk]) == []
    due.refresh_from_db()
    assert due.status == OutcomeStatus.DELIVERING and due.lease_expires_at > now


def test_the_deliver_outcomes_task_sends_due_retries(sink):
    source = make_source()
    route = make_route(source, make_destination(sink.url))
    outcome = Outcome.objects.create(
        event_id=stored(source, {"retry": True}),
        route=route,
        destination=route.destination,
        status=OutcomeStatus.RETRYING,
        attempt_count=1,
        total_attempts=1,
        next_attempt_at=timezone.now(),
    )

    assert tasks.deliver_outcomes([outcome.pk]) == 1
    assert batch.wait_idle(timeout=30)

    outcome.refresh_from_db()
    assert (outcome.status, outcome.attempt_count, outcome.total_attempts) == (
        OutcomeStatus.DELIVERED,
        2,
        2,
    )
    assert sink.wait_for(1)[0].headers["x-relaycore-attempt"] == "2"
    assert Attempt.objects.get(outcome=outcome).number == 2


def test_a_resting_destination_is_not_sent_to(sink):
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    until = timezone.now() + timedelta(minutes=1)
    Destination.objects.filter(pk=destination.pk).update(disabled_until=until)

    process([stored(source, {})])

    outcome = Outcome.objects.get()
    assert outcome.status == OutcomeStatus.PENDING
    assert outcome.next_attempt_at == until
    assert sink.requests == []


def test_the_breaker_opened_by_another_worker_is_seen_though_the_routes_are_cached(sink):
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    table.routes_of({source.pk})  # this process holds the routing table now
    until = timezone.now() + timedelta(minutes=1)
    # Another worker's breaker: a plain UPDATE of the row, which reloads no table.
    Destination.objects.filter(pk=destination.pk).update(
        consecutive_failures=5, disabled_until=until
    )

    process([stored(source, {})])

    outcome = Outcome.objects.get()
    assert (outcome.status, outcome.next_attempt_at) == (OutcomeStatus.PENDING, until)
    assert sink.requests == []


def test_a_success_after_failures_seen_by_another_worker_resets_the_count(sink):
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    Destination.objects.filter(pk=destination.pk).update(last_success_at=timezone.now())
    table.routes_of({source.pk})  # the cached copy looks healthy
    Destination.objects.filter(pk=destination.pk).update(consecutive_failures=2)

    process([stored(source, {})])

    assert Outcome.objects.get().status == OutcomeStatus.DELIVERED
    assert Destination.objects.get().consecutive_failures == 0


def test_a_route_over_its_rate_limit_is_delayed_in_the_batch_path_too(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), rate_limit_per_minute=1)

    process([stored(source, {"n": n}) for n in range(2)])

    assert len(sink.wait_for(1)) == 1
    waiting = Outcome.objects.get(status=OutcomeStatus.PENDING)
    assert waiting.next_attempt_at > timezone.now()
    assert waiting.attempt_count == 0
    assert Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == 1
