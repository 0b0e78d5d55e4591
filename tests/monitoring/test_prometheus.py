"""GET /metrics: Prometheus figures from the database, behind a bearer token."""

from __future__ import annotations

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
)
from relaycore.celery import app as celery_app
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_it_is_off_while_no_token_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "metrics_disabled"


def test_it_asks_for_a_bearer_token(client, metrics_token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_a_wrong_token(client, metrics_token):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 401


def test_it_answers_over_plain_http_when_https_is_enforced(client, metrics_token, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200


def test_it_exposes_events_outcomes_latency_queue_and_dead_letters(client, metrics_token):
    source = make_source(slug="github")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="slack"))
    events = [
        Event.objects.create(source=source, body=b"{}", status=status)
        for status in (EventStatus.ROUTED, EventStatus.ROUTED, EventStatus.DUPLICATE)
    ]
    delivered = Outcome.objects.create(
        event=events[0], route=route, destination=route.destination, status=OutcomeStatus.DELIVERED
    )
    Outcome.objects.create(
        event=events[1],
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DEAD_LETTERED,
    )
    now = timezone.now()
    for number, (code, ms) in enumerate([(500, 40.0), (200, 3000.0)], start=1):
        Attempt.objects.create(
            outcome=delivered, number=number, started_at=now, duration_ms=ms, status_code=code
        )

    samples = scrape(client)

    def value(name, **labels):
        return samples[(name, tuple(sorted(labels.items())))]

    assert value("relaycore_events", source="github", status="routed") == 2
    assert value("relaycore_events", source="github", status="duplicate") == 1
    assert value("relaycore_outcomes", destination="slack", status="delivered") == 1
    assert value("relaycore_outcomes", destination="slack", status="dead_lettered") == 1
    assert value("relaycore_dead_letters") == 1
    assert value("relaycore_queue_depth") == 0
    assert value("relaycore_delivery_attempts_total", result="success") == 1
    assert value("relaycore_held_outcomes") == 0
    assert value("relaycore_delivery_attempts_total", result="failure") == 1
    histogram = "relaycore_delivery_attempt_duration_seconds"
    assert value(f"{histogram}_bucket", le="0.025") == 0
    assert value(f"{histogram}_bucket", le="0.05") == 1
    assert value(f"{histogram}_bucket", le="2.5") == 1
    assert value(f"{histogram}_bucket", le="5.0") == 2
    assert value(f"{histogram}_bucket", le="+Inf") == 2
    assert value(f"{histogram}_count") == 2
    assert value(f"{histogram}_sum") == pytest.approx(3.04)
    assert value("relaycore_broker_up") == 1
    queue = celery_app.conf.task_default_queue
    assert ("relaycore_broker_messages", (("queue", queue),)) in samples


def test_it_keeps_answering_with_the_broker_down(client, metrics_token, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    samples = scrape(client)
    assert samples[("relaycore_broker_up", ())] == 0
    assert not any(name == "relaycore_broker_messages" for name, _ in samples)


def test_it_answers_without_the_unstored_refusal_count_while_redis_is_away(
    client, metrics_token, settings
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    samples = scrape(client)
    assert ("relaycore_queue_depth", ()) in samples
    assert not any(name.startswith("relaycore_signature_failures") for name, _ in samples)


def test_held_outcomes_show_by_destination_and_in_total(client, metrics_token):
    source = make_source(slug="github")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="slack"))
    for _ in range(2):
        event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
        Outcome.objects.create(
            event=event, route=route, destination=route.destination, status=OutcomeStatus.HELD
        )

    samples = scrape(client)

    assert samples[("relaycore_outcomes", (("destination", "slack"), ("status", "held")))] == 2
    assert samples[("relaycore_held_outcomes", ())] == 2


def test_filtered_and_held_outcomes_are_told_apart(client, metrics_token):
    source = make_source(slug="github")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="slack"))
    for status in (OutcomeStatus.HELD, OutcomeStatus.FILTERED, OutcomeStatus.FILTERED):
        event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
        Outcome.objects.create(
            event=event, route=route, destination=route.destination, status=status
        )

    samples = scrape(client)

    slack = ("destination", "slack")
    assert samples[("relaycore_outcomes", (slack, ("status", "filtered")))] == 2
    assert samples[("relaycore_outcomes", (slack, ("status", "held")))] == 1
    assert samples[("relaycore_held_outcomes", ())] == 1  # a filtered outcome is not held


def test_a_deleted_destinations_dead_letters_still_count(client, metrics_token):
    source = make_source(slug="github")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="gone"))
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    Outcome.objects.create(
        event=event, route=route, destination=route.destination, status=OutcomeStatus.DEAD_LETTERED
    )
    type(route.destination).all_objects.filter(pk=route.destination_id).update(
        deleted_at=timezone.now()
    )

    samples = scrape(client)

    deleted = (("destination", "(deleted)"), ("status", "dead_lettered"))
    assert samples[("relaycore_outcomes", deleted)] == 1
    assert samples[("relaycore_dead_letters", ())] == 1
