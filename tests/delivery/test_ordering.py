"""Ordered delivery per key, on the one delivery path, called directly (no worker),
against a real local HTTP server. The dispatcher is played by `settle`: it makes every
retry due now and hands `tasks.deliver_outcomes` what the dispatcher would queue."""

from __future__ import annotations

import json
import random
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import storage
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.delivery import batch, maintenance, ordering, tasks
from apps.delivery.replay import Requester, replay_outcomes
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_sender(settings):
    settings.DESTINATION_BREAKER_THRESHOLD = 1000  # failures here test order, not health
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


def stored(source, payload: dict, headers: dict | None = None) -> Event:
    return Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        headers=headers or {},
        content_type="application/json",
        event_type="push",
        status=EventStatus.RECEIVED,
    )


def route(events: list[Event]) -> None:
    tasks.process_events([event.pk for event in events])
    assert batch.wait_idle(timeout=30)


def route_in_thread(events: list[Event]) -> None:
    try:
        tasks.process_events([event.pk for event in events])
    finally:
        connection.close()


def settle(rounds: int = 20) -> None:
    """Run the dispatcher's part until nothing is due: retries now, waiting ones woken."""
    for _ in range(rounds):
        # Retries, and claims given back by a busy lane, come due now.
        Outcome.objects.filter(status__in=[OutcomeStatus.PENDING, OutcomeStatus.RETRYING]).update(
            next_attempt_at=timezone.now()
        )
        maintenance.reclaim_expired_leases(timezone.now())
        ordering.sweep()
        due = list(
            Outcome.objects.filter(status__in=[OutcomeStatus.PENDING, OutcomeStatus.RETRYING])
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)
        )
        if not due:
            return
        tasks.deliver_outcomes(due)
        assert batch.wait_idle(timeout=30)


def arrivals(sink) -> list[tuple[str, int]]:
    return [(r.json()["repo"], r.json()["n"]) for r in sink.requests]


def outcome_of(event: Event) -> Outcome:
    return Outcome.objects.get(event=event)


def test_it_sends_the_second_event_of_a_key_only_after_the_first_got_through(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    sink.respond(Reply(500), Reply(500), Reply(500))
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})

    route([first, second])

    waiting = outcome_of(second)
    assert waiting.status == OutcomeStatus.WAITING
    assert waiting.waiting_for_id == outcome_of(first).pk
    assert waiting.ordering_key == "a"
    settle()
    assert arrivals(sink) == [("a", 1)] * 4 + [("a", 2)]
    assert {o.status for o in Outcome.objects.all()} == {OutcomeStatus.DELIVERED}


def test_events_of_other_keys_and_of_no_key_are_not_held_up(sink, settings):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1  # the first one sent gets the 500
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="headers.X-Shop")
    sink.respond(Reply(500))
    blocked = stored(source, {"repo": "a", "n": 1}, {"X-Shop": "one.example"})
    behind = stored(source, {"repo": "a", "n": 2}, {"x-shop": "one.example"})
    other = stored(source, {"repo": "b", "n": 3}, {"X-Shop": "two.example"})
    keyless = stored(source, {"repo": "c", "n": 4})

    route([blocked, behind, other, keyless])

    assert sorted(arrivals(sink)) == [("a", 1), ("b", 3), ("c", 4)]
    assert outcome_of(behind).status == OutcomeStatus.WAITING
    assert outcome_of(keyless).ordering_key == ""
    settle()
    assert arrivals(sink)[-2:] == [("a", 1), ("a", 2)]


def test_a_dead_letter_lets_the_next_event_go_by_default(sink, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 2
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    sink.respond(Reply(500), Reply(500))
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})

    route([first, second])
    settle()

    assert outcome_of(first).status == OutcomeStatus.DEAD_LETTERED
    assert outcome_of(second).status == OutcomeStatus.DELIVERED
    assert arrivals(sink) == [("a", 1), ("a", 1), ("a", 2)]


def test_a_route_may_let_a_dead_letter_block_its_key_until_it_is_replayed(sink, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 2
    source = make_source()
    make_route(
        source,
        make_destination(sink.url),
        ordering_key="$.repo",
        ordering_dead_letter_blocks=True,
    )
    sink.respond(Reply(500), Reply(500))
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})
    route([first, second])
    settle()
    maintenance.dispatch_due()  # the sweep too leaves it waiting

    assert outcome_of(first).status == OutcomeStatus.DEAD_LETTERED
    assert outcome_of(second).status == OutcomeStatus.WAITING
    assert arrivals(sink) == [("a", 1), ("a", 1)]

    replay_outcomes(Outcome.objects.filter(event=first), by=Requester.command_line())
    settle()
    assert arrivals(sink) == [("a", 1)] * 3 + [("a", 2)]
    assert outcome_of(second).status == OutcomeStatus.DELIVERED


def test_a_worker_that_died_mid_delivery_does_not_let_the_next_event_overtake(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})
    claimed = batch.route_events([first.pk, second.pk])  # claimed, then the worker "dies"
    assert [o.event_id for o in claimed] == [first.pk]
    Outcome.objects.filter(event=first).update(lease_expires_at=timezone.now())

    maintenance.dispatch_due()
    assert outcome_of(first).status == OutcomeStatus.RETRYING
    assert outcome_of(second).status == OutcomeStatus.WAITING
    settle()
    assert arrivals(sink) == [("a", 1), ("a", 2)]


def test_a_batch_routes_the_earlier_unrouted_events_of_its_source_first(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})

    route([second])  # the first one's batch still waits in another worker's queue
    settle()

    assert arrivals(sink) == [("a", 1), ("a", 2)]
    tasks.process_events([first.pk])  # that batch, at last: nothing left to do
    assert batch.wait_idle(timeout=30)
    assert arrivals(sink) == [("a", 1), ("a", 2)]


@pytest.mark.skipif(not storage.locks_sources(), reason="only PostgreSQL locks sources")
def test_a_batch_under_its_source_s_lock_routes_the_later_unrouted_events_too(sink):
    """Batches of an ordered source take turns, so the one routing takes the source's
    unrouted events whatever their place, and the batches queued behind it find theirs
    routed."""
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    events = [stored(source, {"repo": "a", "n": n}) for n in range(3)]

    route(events[:1])
    settle()
    assert arrivals(sink) == [("a", 0), ("a", 1), ("a", 2)]

    route(events[1:])  # their own batch, at last: nothing left to do
    assert Outcome.objects.count() == 3
    assert arrivals(sink) == [("a", 0), ("a", 1), ("a", 2)]


@pytest.mark.skipif(not storage.locks_sources(), reason="only PostgreSQL locks sources")
def test_a_batch_of_an_ordered_source_waits_while_another_routes_that_source(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    event = stored(source, {"repo": "a", "n": 1})
    holding, release = threading.Event(), threading.Event()

    def another_batch() -> None:
        try:
            with transaction.atomic():
                storage.lock_sources([source.pk])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=another_batch)
    other.start()
    assert holding.wait(10)
    ours = threading.Thread(target=route_in_thread, args=([event],))
    ours.start()
    ours.join(0.5)
    assert ours.is_alive() and not Outcome.objects.exists()  # waits its turn
    release.set()
    other.join(10)
    ours.join(10)
    assert batch.wait_idle(timeout=30)
    assert arrivals(sink) == [("a", 1)]


def test_an_earlier_event_not_yet_routed_holds_back_a_later_one(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})
    # Its routing failed once: the sweeper tries it again, no other batch takes it along.
    Event.objects.filter(pk=first.pk).update(routing_failures=1)

    route([second])
    assert sink.requests == []
    assert outcome_of(second).status == OutcomeStatus.WAITING
    route([first])
    settle()

    assert arrivals(sink) == [("a", 1), ("a", 2)]


def test_the_wake_up_after_routing_leaves_alone_what_an_unrouted_event_holds_back(sink):
    """While routing trails ingest, the wake-up after each routed batch writes nothing and
    takes no key's lock for outcomes an earlier unrouted event still holds back."""
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "b", "n": 2})
    Event.objects.filter(pk=first.pk).update(routing_failures=1)  # left to the sweeper
    route([second])  # its key differs, but the first one's is not known yet
    held_back = outcome_of(second)
    assert held_back.status == OutcomeStatus.WAITING

    with CaptureQueriesContext(connection) as seen:
        assert ordering.wake_unrouted([held_back.route_id]) == []
    statements = [query["sql"].split()[0].upper() for query in seen.captured_queries]
    assert statements == ["SELECT", "SELECT"]  # the waiters, the first unrouted event
    assert not any("advisory" in query["sql"] for query in seen.captured_queries)

    route([first])  # its wake-up lets the second go with it
    assert sorted(arrivals(sink)) == [("a", 1), ("b", 2)]
    assert outcome_of(second).status == OutcomeStatus.DELIVERED


def test_batches_routed_newest_first_still_go_in_receipt_order_per_key(sink):
    """Racing routing workers can commit a later batch first, and leave several outcomes
    of one key waiting for the events before them to be routed: once they are, each
    waits for the one just before it."""
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    sink.respond(*[Reply(500)] * 3)  # the first of each key stays unfinished a while
    events = [stored(source, {"repo": "abc"[n % 3], "n": n}) for n in range(9)]
    # As if each had failed once: no later batch takes them along (the sweeper's).
    Event.objects.filter(pk__in=[e.pk for e in events[:6]]).update(routing_failures=1)
    route(events[6:])
    route(events[3:6])
    assert {outcome_of(e).status for e in events[3:]} == {OutcomeStatus.WAITING}

    route(events[:3])
    for earlier, later in zip(events[:6], events[3:], strict=True):
        assert outcome_of(later).waiting_for_id == outcome_of(earlier).pk
    settle()
    for key in "abc":
        assert [n for repo, n in arrivals(sink) if repo == key and n > 2] == [
            n for n in range(3, 9) if "abc"[n % 3] == key
        ]
    assert {o.status for o in Outcome.objects.all()} == {OutcomeStatus.DELIVERED}


def test_the_sweep_wakes_an_outcome_whose_wake_up_was_lost(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), ordering_key="$.repo")
    sink.respond(Reply(500))
    first, second = stored(source, {"repo": "a", "n": 1}), stored(source, {"repo": "a", "n": 2})
    route([first, second])
    # Finished behind the delivery path's back (a crash between two writes, say).
    Outcome.objects.filter(event=first).update(status=OutcomeStatus.DELIVERED)

    assert ordering.sweep() == [outcome_of(second).pk]
    assert outcome_of(second).status == OutcomeStatus.PENDING


def test_twenty_keys_of_fifty_events_arrive_in_receipt_order_per_key_under_load(sink, settings):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 50
    settings.DELIVERY_MAX_ATTEMPTS = 100  # the 503s below delay; none may dead-letter
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination, ordering_key="$.repo")
    chance = random.Random(16)
    sink.default = Reply(200, delay=0.002)
    sink.respond(*[Reply(503) if chance.random() < 0.2 else Reply(200) for _ in range(300)])
    events = [stored(source, {"repo": f"k{n % 20}", "n": n}) for n in range(1000)]
    # An unordered route of the same source flows beside them.
    free = make_route(make_source(), destination)
    loose = [stored(free.source, {"repo": "free", "n": n}) for n in range(50)]

    # Four "workers" route interleaved batches at once, as a busy queue would.
    chunks = [[e for i, e in enumerate(events + loose) if i % 4 == w] for w in range(4)]
    threads = [threading.Thread(target=route_in_thread, args=([*c],)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert batch.wait_idle(timeout=60)
    settle(rounds=200)

    got = arrivals(sink)
    for key in [f"k{n}" for n in range(20)]:
        seen = [n for repo, n in got if repo == key]
        in_order = [n for i, n in enumerate(seen) if i == 0 or seen[i - 1] != n]
        assert in_order == list(range(int(key[1:]), 1000, 20)), key
    assert sorted({n for repo, n in got if repo == "free"}) == list(range(50))
    left = Outcome.objects.exclude(status=OutcomeStatus.DELIVERED)
    assert list(left.values_list("event_id", "status", "ordering_key", "last_error")) == []


def test_the_hooks_run_no_query_for_outcomes_without_a_key(sink):
    """What keeps unordered routes as fast as before ordered delivery came: each hook on
    the delivery path returns before touching the database when no outcome has a key."""
    source = make_source()
    make_route(source, make_destination(sink.url))  # unordered
    make_route(source, make_destination(sink.url), ordering_key="$.repo")  # no $.repo below
    route([stored(source, {"n": n}) for n in range(3)])
    settle()
    outcomes = list(Outcome.objects.select_related("route", "event"))
    assert len(outcomes) == 6 and not any(o.ordering_key for o in outcomes)
    assert len(sink.requests) == 6

    with CaptureQueriesContext(connection) as seen:
        ordering.lock(outcomes)
        assert ordering.place(outcomes) == []
        finished = [o for o in outcomes if ordering.line_of(o)]
        assert ordering.wake_after(finished) == []
    assert seen.captured_queries == []
