"""The delivery pipeline called directly (no worker), against a real local HTTP server."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.core.standard_webhooks import generate_secret
from apps.delivery import pipeline
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


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
    return [pipeline.deliver(outcome_id) for outcome_id in pipeline.route_event(event.pk)]


def test_routing_twice_creates_outcomes_once():
    source = make_source()
    make_route(source, make_destination("http://127.0.0.1:9/"))
    event = stored_event(source, {})
    assert len(pipeline.route_event(event.pk)) == 1
    assert pipeline.route_event(event.pk) == []
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


def test_the_webhook_id_stays_the_same_across_retries(sink):
    from tests.sink import Reply

    sink.respond(Reply(status=500))
    destination = make_destination(sink.url, signing_secret=generate_secret())
    source = make_source()
    make_route(source, destination)
    [outcome_id] = pipeline.route_event(stored_event(source, {}).pk)

    assert pipeline.deliver(outcome_id) == OutcomeStatus.RETRYING
    Outcome.objects.filter(pk=outcome_id).update(next_attempt_at=timezone.now())
    assert pipeline.deliver(outcome_id) == OutcomeStatus.DELIVERED
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
    assert second == ["postponed: rate limited"]
    waiting = Outcome.objects.get(status=OutcomeStatus.PENDING)
    assert waiting.attempt_count == 0
    assert waiting.attempts.count() == 0
    assert (waiting.next_attempt_at - timezone.now()).total_seconds() > 1
    assert len(sink.requests) == 1


def test_a_transformer_that_cannot_handle_the_event_dead_letters_it_at_once(sink):
    source = make_source()
    make_route(source, make_destination(sink.url), transformer="form_to_email")

    assert route_and_deliver(stored_event(source, {"name": "x"})) == ["dead_lettered"]
    outcome = Outcome.objects.get()
    assert "form_to_email" in outcome.last_error
    assert sink.requests == []


def test_an_inactive_destination_dead_letters_with_a_reason(sink):
    source = make_source()
    make_route(source, make_destination(sink.url, is_active=False))
    assert route_and_deliver(stored_event(source, {})) == ["dead_lettered"]
    assert Outcome.objects.get().last_error == "destination is inactive"


def test_a_destination_at_its_in_flight_cap_postpones_the_delivery(sink, settings, redis_server):
    settings.DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = 1
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    redis_server.zadd(f"rc:inflight:{destination.pk}", {"held-by-another-worker": 9e12})

    assert route_and_deliver(stored_event(source, {})) == ["postponed: busy"]
    assert sink.requests == []
