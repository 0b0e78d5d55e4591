"""The worker never routes or sends an event refused at ingest (defence in depth)."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.delivery import batch
from apps.delivery.tasks import deliver_outcomes, process_events
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(sink):
    return make_route(make_source(slug="s"), make_destination(sink.url))


def refused_event(source, status=EventStatus.SIG_FAILED) -> Event:
    return Event.objects.create(source=source, body=b"{}", payload={}, status=status)


@pytest.mark.parametrize("status", [EventStatus.SIG_FAILED, EventStatus.DUPLICATE])
def test_a_routing_message_for_a_refused_event_is_dropped_with_a_log_line(
    route, sink, caplog, status
):
    event = refused_event(route.source, status)

    with caplog.at_level(logging.WARNING):
        assert process_events([event.pk]) == 0
        assert batch.route_events([event.pk]) == []

    event.refresh_from_db()
    assert event.status == status
    assert not Outcome.objects.exists()
    assert sink.requests == []
    lines = [r.getMessage() for r in caplog.records if "event.refused_not_routed" in r.getMessage()]
    assert len(lines) == 2
    assert f"event_id={event.pk}" in lines[0]


def test_a_pending_outcome_of_a_refused_event_is_dead_lettered_not_sent(route, sink):
    event = refused_event(route.source)
    outcome = Outcome.objects.create(
        event=event, route=route, destination=route.destination, status=OutcomeStatus.PENDING
    )

    assert deliver_outcomes([outcome.pk]) == 0
    batch.wait_idle()

    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DEAD_LETTERED
    assert "signature failed" in outcome.last_error
    assert sink.requests == []


def test_the_replay_command_skips_outcomes_of_refused_events_and_says_so(route):
    Outcome.objects.create(
        event=refused_event(route.source),
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DEAD_LETTERED,
    )
    out = StringIO()

    call_command("replay", "--source", "s", stdout=out)

    assert "skipped 1 outcomes of events refused at ingest" in out.getvalue()
    assert "queued 0 outcomes" in out.getvalue()
    assert Outcome.objects.get().status == OutcomeStatus.DEAD_LETTERED
