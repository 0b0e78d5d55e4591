"""collect_metrics: one MetricPoint per Beat tick, counting what happened since the last."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    MetricPoint,
    Outcome,
    OutcomeStatus,
)
from apps.monitoring.metrics import collect
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


def test_a_sample_counts_events_attempts_and_dead_letters():
    source = make_source()
    route = make_route(source, make_destination("http://127.0.0.1:9/"))
    now = timezone.now()
    for status in [
        EventStatus.ROUTED,
        EventStatus.ROUTED,
        EventStatus.DUPLICATE,
        EventStatus.SIG_FAILED,
        EventStatus.RECEIVED,
    ]:
        Event.objects.create(source=source, body=b"{}", status=status)
    event = Event.objects.filter(status=EventStatus.ROUTED).first()
    delivered = Outcome.objects.create(
        event=event,
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DELIVERED,
        delivered_at=now,
    )
    other = Event.objects.filter(status=EventStatus.ROUTED).last()
    Outcome.objects.create(
        event=other,
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DEAD_LETTERED,
    )
    for code in (500, 200):
        Attempt.objects.create(
            outcome=delivered, number=1, started_at=now, duration_ms=3, status_code=code
        )

    point = collect(now + timedelta(seconds=1))

    assert point.events_received == 3  # routed x2 + received
    assert point.events_duplicate == 1
    assert point.events_sig_failed == 1
    assert point.deliveries_succeeded == 1
    assert point.attempts_failed == 1
    assert point.success_rate == 0.5
    assert point.dead_letters_total == 1
    assert point.queue_depth == 1  # the event still waiting to be routed


def test_the_next_sample_starts_where_the_last_ended():
    first = collect()
    make_source()
    second = collect(first.collected_at + timedelta(seconds=60))
    assert second.interval_seconds == pytest.approx(60)
    assert MetricPoint.objects.count() == 2


def test_an_attempt_recorded_after_a_sample_counts_in_the_next_whenever_it_started():
    source = make_source()
    route = make_route(source, make_destination("http://127.0.0.1:9/"))
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    outcome = Outcome.objects.create(
        event=event, route=route, destination=route.destination, status=OutcomeStatus.DELIVERED
    )
    first = collect()
    # A slow destination: the attempt began before the first sample and ended after it.
    began = first.collected_at - timedelta(seconds=30)
    for number, code in enumerate((503, 200), start=1):
        Attempt.objects.create(
            outcome=outcome, number=number, started_at=began, duration_ms=30_000, status_code=code
        )

    second = collect(first.collected_at + timedelta(seconds=60))

    assert (second.deliveries_succeeded, second.attempts_failed) == (1, 1)
    assert second.success_rate == 0.5
    third = collect(first.collected_at + timedelta(seconds=120))
    assert (third.deliveries_succeeded, third.attempts_failed) == (0, 0)
