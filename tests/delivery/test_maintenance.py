"""Beat's safety nets: the dispatcher and the sweeper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.delivery import maintenance
from apps.delivery.batch import claim_many
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcome():
    source = make_source()
    route = make_route(source, make_destination("http://127.0.0.1:9/", timeout_seconds=2))
    event = Event.objects.create(source=source, body=b"{}", status=EventStatus.ROUTED)
    return Outcome.objects.create(
        event=event, route=route, destination=route.destination, next_attempt_at=timezone.now()
    )


def test_a_claim_is_exclusive(outcome):
    assert [claimed.pk for claimed in claim_many([outcome.pk])] == [outcome.pk]
    assert claim_many([outcome.pk]) == []


def test_a_claim_waits_for_the_retry_time(outcome):
    Outcome.objects.filter(pk=outcome.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert claim_many([outcome.pk]) == []


def test_the_dispatcher_takes_back_a_claim_whose_worker_died(outcome, settings):
    settings.DELIVERY_LEASE_GRACE_SECONDS = 1
    [claimed] = claim_many([outcome.pk])
    assert claimed.status == OutcomeStatus.DELIVERING

    later = timezone.now() + timedelta(seconds=10)
    assert maintenance.dispatch_due(later) == 1
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.RETRYING
    assert "stopped" in outcome.last_error


def test_the_dispatcher_queues_overdue_outcomes_only(outcome, settings):
    settings.DISPATCH_GRACE_SECONDS = 30
    assert maintenance.dispatch_due(timezone.now()) == 0
    assert maintenance.dispatch_due(timezone.now() + timedelta(seconds=31)) == 1


def test_the_sweeper_requeues_events_never_routed():
    source = make_source()
    old = Event.objects.create(
        source=source,
        body=b"{}",
        status=EventStatus.RECEIVED,
        received_at=timezone.now() - timedelta(minutes=5),
    )
    Event.objects.create(source=source, body=b"{}", status=EventStatus.RECEIVED)
    Event.objects.create(
        source=source,
        body=b"{}",
        status=EventStatus.ROUTED,
        received_at=timezone.now() - timedelta(minutes=5),
    )
    assert maintenance.sweep_unrouted() == 1
    assert old.status == EventStatus.RECEIVED
