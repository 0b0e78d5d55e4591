"""The delivery rules on the one path that runs (route_events -> the sender's lanes ->
record_many), called directly (no worker), against a real local HTTP server. The
recorder writes from its own thread (its own connection), so these tests commit."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.core.standard_webhooks import generate_secret
from apps.delivery import batch, tasks
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


def stored_event(source, payload: dict, event_type: str = "push") -> Event:
    body = json.dumps(payload).encode()
    return Event.objects.create(
        source=source,
        body=body,
        payload=payload,
        content_type="application/json",
        event_type=event_type,
        status=EventStatus.RECEIVED,
    )


def route_and_deliver(event: Event) -> list[str]:
    """The event's outcomes' statuses once everything handed to the sender is recorded."""
    tasks.process_events([event.pk])
    assert batch.wait_idle(timeout=30)
    return list(event.outcomes.order_by("pk").values_list("status", flat=True))


def test_routing_twice_creates_outcomes_once():
    source = make_source()
    make_route(source, make_destination("http://127.0.0.1:9/"))
    event = stored_event(source, {})
    assert len(batch.route_events([event.pk])) == 1
    assert batch.route_events([event.pk]) == []
    assert Outcome.objects.count() == 1


def test_deliveries_carry_the_auth_header_and_standard_webhooks_signature(sink):
    secret = generate_secret()
    destination = make_destination(
        sink.url, auth_header="Authorization: Bearer t0ken", signing_secret=secret
    )
    source = make_source()
    make_route(source, destination)

    assert route_and_deliver(stored_event(source, {"hello": "world"})) == ["delivered"]

    [received] = sink.requests
    assert received.headers["authorization"] == "Bearer t0ken"
    verified = Webhook(secret).verify(received.body, received.headers)
    assert verified == {"hello": "world"}
    outcome = Outcome.objects.get()
    assert received.headers["webhook-id"] == outcome.message_id


def test_the_webhook_id_stays_the_same_across_retries(sink, settings):
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 600  # the retry waits for this test, not a timer
    sink.respond(Reply(status=500))
    destination = make_destination(sink.url, signing_secret=generate_secret())
    source = make_source()
    make_route(source, destination)

    assert route_and_deliver(stored_event(source, {})) == [OutcomeStatus.RETRYING]
    outcome = Outcome.objects.get()
    Outcome.objects.filter(pk=outcome.pk).update(next_attempt_at=timezone.now())
    assert tasks.deliver_outcomes([outcome.pk]) == 1
    assert batch.wait_idle(timeout=30)

    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DELIVERED
    first, second = sink.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.headers["x-relaycore-attempt"] == "1"
    assert second.headers["x-relaycore-attempt"] == "2"


def test_a_route_over_its_rate_limit_is_delayed_not_dropped(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), rate_limit_per_minute=1)

    first = route_and_deliver(stored_event(source, {"n": 1}))
    second = route_and_deliver(stored_event(source, {"n": 2}))

    assert first == ["delivered"]
    assert second == ["pending"]
    waiting = Outcome.objects.get(status=OutcomeStatus.PENDING)
    assert waiting.attempt_count == 0
    assert waiting.attempts.count() == 0
    # Due when the route's window of a minute turns over: any time in the next minute
    # (a run just before the turn sees a fraction of a second).
    assert 0 < (waiting.next_attempt_at - timezone.now()).total_seconds() <= 60
    assert len(sink.requests) == 1


def test_a_transformer_that_cannot_handle_the_event_dead_letters_it_at_once(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), transformer="form_to_email")

    assert route_and_deliver(stored_event(source, {"name": "x"})) == ["dead_lettered"]
    outcome = Outcome.objects.get()
    assert "form_to_email" in outcome.last_error
    assert sink.requests == []


def test_an_inactive_destination_holds_its_outcomes_without_an_attempt(sink):
    source = make_source()
    make_route(source, make_destination(sink.url, is_active=False))
    assert route_and_deliver(stored_event(source, {})) == [OutcomeStatus.HELD]
    outcome = Outcome.objects.get()
    assert outcome.attempt_count == 0
    assert not outcome.attempts.exists()
    assert sink.requests == []


def test_a_message_of_the_old_one_event_task_is_routed_and_delivered(sink):
    source = make_source()
    make_route(source, make_destination(sink.url))
    event = stored_event(source, {"old": True})

    assert tasks.process_event(event.pk) == 1
    assert batch.wait_idle(timeout=30)

    assert Outcome.objects.get().status == OutcomeStatus.DELIVERED
    assert sink.wait_for(1)[0].json() == {"old": True}


def test_a_message_of_the_old_one_outcome_task_sends_that_outcome(sink):
    source = make_source()
    route = make_route(source, make_destination(sink.url))
    outcome = Outcome.objects.create(
        event=stored_event(source, {"retry": 1}),
        route=route,
        destination=route.destination,
        next_attempt_at=timezone.now(),
    )

    assert tasks.deliver_outcome(outcome.pk) == 1
    assert batch.wait_idle(timeout=30)

    outcome.refresh_from_db()
    assert (outcome.status, outcome.attempt_count) == (OutcomeStatus.DELIVERED, 1)
    assert tasks.deliver_outcome(outcome.pk) == 0  # a copy of the message sends nothing
    assert len(sink.requests) == 1


def test_the_old_task_names_stay_registered():
    from relaycore.celery import app

    assert {
        "apps.delivery.tasks.process_event",
        "apps.delivery.tasks.deliver_outcome",
        "apps.delivery.tasks.process_events",
        "apps.delivery.tasks.deliver_outcomes",
    } <= set(app.tasks)
