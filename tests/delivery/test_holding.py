"""Held outcomes on the one delivery path, called directly (no worker), against a real
local HTTP server: pause and resume, disable and enable, auto-disable. The dispatcher's
queueing is played by handing `tasks.deliver_outcomes` the ids it would queue."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import Destination, Event, EventStatus, Outcome, OutcomeStatus
from apps.delivery import batch, holding, maintenance, tasks
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


def stored_event(source, n: int, received_at=None) -> Event:
    payload = {"n": n}
    return Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        content_type="application/json",
        event_type="push",
        status=EventStatus.RECEIVED,
        received_at=received_at or timezone.now(),
    )


def route_all(events: list[Event]) -> None:
    tasks.process_events([event.pk for event in events])
    assert batch.wait_idle(timeout=30)


def dispatch_now() -> None:
    """What the dispatcher queues, in its order, run at once; then wait for the sends."""
    due = Outcome.objects.filter(
        status__in=[OutcomeStatus.PENDING, OutcomeStatus.RETRYING],
        next_attempt_at__lte=timezone.now(),
    ).order_by("next_attempt_at", "id")
    ids = list(due.values_list("pk", flat=True))
    if ids:
        tasks.deliver_outcomes(ids)
    assert batch.wait_idle(timeout=30)


def statuses() -> list[str]:
    return list(Outcome.objects.order_by("pk").values_list("status", flat=True))


def test_a_paused_destination_holds_new_outcomes_and_sends_nothing(sink):
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    holding.set_flag(destination, paused=True)

    route_all([stored_event(source, n) for n in range(3)])
    dispatch_now()

    assert statuses() == [OutcomeStatus.HELD] * 3
    assert sink.requests == []
    assert not Outcome.objects.filter(attempts__isnull=False).exists()
    assert Destination.objects.get().consecutive_failures == 0


def test_resuming_delivers_each_held_outcome_once_in_receipt_order(sink, settings):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1  # one at a time: order shows
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    holding.set_flag(destination, paused=True)
    start = timezone.now() - timedelta(minutes=5)
    # Stored in one order, received in the reverse one (ids are not receipt order).
    events = [stored_event(source, n, start + timedelta(seconds=10 - n)) for n in range(5)]
    route_all(events)

    released = holding.set_flag(destination, paused=False)
    dispatch_now()

    assert released == 5
    assert statuses() == [OutcomeStatus.DELIVERED] * 5
    assert [request.json()["n"] for request in sink.requests] == [4, 3, 2, 1, 0]


def test_a_retry_that_comes_due_while_paused_waits_and_goes_on_resume(sink, settings):
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 600  # the retry waits for this test, not a timer
    sink.respond(Reply(status=500))
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    route_all([stored_event(source, 1)])
    outcome = Outcome.objects.get()
    assert outcome.status == OutcomeStatus.RETRYING

    holding.set_flag(destination, paused=True)
    Outcome.objects.filter(pk=outcome.pk).update(next_attempt_at=timezone.now())
    tasks.deliver_outcomes([outcome.pk])  # the retry's own message arrives
    assert batch.wait_idle(timeout=30)
    outcome.refresh_from_db()
    assert (outcome.status, outcome.attempt_count, len(sink.requests)) == ("held", 1, 1)

    assert holding.set_flag(destination, paused=False) == 1
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.RETRYING  # it had an attempt: a retry still
    dispatch_now()
    outcome.refresh_from_db()
    assert (outcome.status, outcome.attempt_count, len(sink.requests)) == ("delivered", 2, 2)


def test_an_outcome_due_after_its_route_was_paused_is_held_at_its_claim(sink):
    source, destination = make_source(), make_destination(sink.url)
    route = make_route(source, destination)
    route_all([stored_event(source, 1)])  # delivered
    Outcome.objects.update(status=OutcomeStatus.PENDING, next_attempt_at=timezone.now())
    # Paused behind the signals' back (a raw UPDATE): the claim still sees it.
    type(route).objects.filter(pk=route.pk).update(paused=True)

    assert tasks.deliver_outcomes(list(Outcome.objects.values_list("pk", flat=True))) == 0
    assert statuses() == [OutcomeStatus.HELD]
    assert len(sink.requests) == 1


def test_pausing_holds_waiting_outcomes_at_once_and_a_paused_route_keeps_them(sink):
    source, destination = make_source(), make_destination(sink.url)
    route = make_route(source, destination)
    holding.set_flag(route, paused=True)
    route_all([stored_event(source, 1)])
    holding.set_flag(destination, paused=True)

    # The destination resumes; the route is still paused: nothing is released.
    assert holding.set_flag(destination, paused=False) == 0
    assert statuses() == [OutcomeStatus.HELD]
    assert holding.set_flag(route, paused=False) == 1
    dispatch_now()
    assert statuses() == [OutcomeStatus.DELIVERED]


def test_switching_a_destination_off_holds_and_switching_it_on_releases(sink, settings):
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 600
    sink.respond(Reply(status=500))
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    route_all([stored_event(source, 1)])
    assert statuses() == [OutcomeStatus.RETRYING]

    destination.is_active = False
    destination.save()  # as the admin or a PATCH does
    assert statuses() == [OutcomeStatus.HELD]

    destination.is_active = True
    destination.save()
    assert statuses() == [OutcomeStatus.RETRYING]


def test_a_paused_source_stores_and_routes_into_held_outcomes_until_resumed(sink):
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    holding.set_flag(source, paused=True)

    events = [stored_event(source, n) for n in range(3)]
    route_all(events)
    dispatch_now()
    assert statuses() == [OutcomeStatus.HELD] * 3
    assert set(Event.objects.values_list("status", flat=True)) == {EventStatus.ROUTED}
    assert sink.requests == []

    assert holding.set_flag(source, paused=False) == 3
    dispatch_now()
    assert statuses() == [OutcomeStatus.DELIVERED] * 3
    assert sorted(request.json()["n"] for request in sink.requests) == [0, 1, 2]


def test_the_dispatcher_queues_released_outcomes_oldest_event_first(sink):
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    holding.set_flag(destination, paused=True)
    start = timezone.now() - timedelta(minutes=5)
    events = [stored_event(source, n, start + timedelta(seconds=10 - n)) for n in range(4)]
    route_all(events)
    holding.set_flag(destination, paused=False)

    by_event = dict(Outcome.objects.values_list("pk", "event_id"))
    queued = maintenance.due_outcomes(timezone.now())
    assert [by_event[pk] for pk in queued] == [e.pk for e in reversed(events)]


def test_a_destination_failing_long_enough_is_disabled_and_holds_without_dead_letters(
    sink, settings
):
    settings.DESTINATION_AUTO_DISABLE_FAILURES = 3
    settings.DESTINATION_AUTO_DISABLE_SECONDS = 0
    settings.DESTINATION_BREAKER_THRESHOLD = 0
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 0
    settings.DELIVERY_MAX_ATTEMPTS = 10
    sink.default = Reply(status=503)
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    route_all([stored_event(source, 1)])
    for _ in range(5):
        dispatch_now()

    destination.refresh_from_db()
    assert not destination.is_active
    assert destination.disabled_at is not None
    assert destination.disabled_reason.startswith("failed every attempt for 0 seconds (3 in a")
    assert "HTTP 503" in destination.disabled_reason
    outcome = Outcome.objects.get()
    assert (outcome.status, outcome.attempt_count, len(sink.requests)) == ("held", 3, 3)


def test_auto_disable_waits_for_both_the_time_and_the_count(sink, settings):
    settings.DESTINATION_AUTO_DISABLE_FAILURES = 2
    settings.DESTINATION_AUTO_DISABLE_SECONDS = 3600
    settings.DESTINATION_BREAKER_THRESHOLD = 0
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 0
    sink.default = Reply(status=500)
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    route_all([stored_event(source, 1)])
    dispatch_now()
    destination.refresh_from_db()
    assert destination.is_active  # two failures, but within the hour
    assert destination.failing_since is not None

    # The run began more than an hour ago: the next failure disables it.
    Destination.objects.update(failing_since=timezone.now() - timedelta(hours=2))
    dispatch_now()
    destination.refresh_from_db()
    assert not destination.is_active
    assert destination.disabled_reason.startswith("failed every attempt for 2 hours (3 in")


def test_enabling_a_disabled_destination_resets_it_and_delivers_oldest_first(sink, settings):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1
    source = make_source()
    destination = make_destination(
        sink.url,
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason="failed every attempt for 3 days (100 in a row): last error HTTP 500",
        consecutive_failures=100,
        failing_since=timezone.now() - timedelta(days=3),
    )
    make_route(source, destination)
    start = timezone.now() - timedelta(minutes=1)
    route_all([stored_event(source, n, start + timedelta(seconds=5 - n)) for n in range(3)])
    assert statuses() == [OutcomeStatus.HELD] * 3

    assert holding.set_flag(destination, is_active=True) == 3
    dispatch_now()

    destination.refresh_from_db()
    assert (destination.disabled_at, destination.disabled_reason) == (None, "")
    assert (destination.consecutive_failures, destination.failing_since) == (0, None)
    assert [request.json()["n"] for request in sink.requests] == [2, 1, 0]


def test_auto_disable_off_with_zero_failures(sink, settings):
    settings.DESTINATION_AUTO_DISABLE_FAILURES = 0
    settings.DESTINATION_AUTO_DISABLE_SECONDS = 0
    settings.DESTINATION_BREAKER_THRESHOLD = 0
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 0
    sink.default = Reply(status=500)
    source, destination = make_source(), make_destination(sink.url)
    make_route(source, destination)
    route_all([stored_event(source, 1)])
    dispatch_now()
    destination.refresh_from_db()
    assert destination.is_active and destination.consecutive_failures == 2


def test_deleting_a_paused_route_ends_its_held_outcomes_with_the_reason(sink):
    source, destination = make_source(), make_destination(sink.url)
    route = make_route(source, destination)
    holding.set_flag(route, paused=True)
    route_all([stored_event(source, 1)])
    route.delete()
    outcome = Outcome.objects.get()
    assert (outcome.status, outcome.last_error) == ("dead_lettered", "its route was deleted")
