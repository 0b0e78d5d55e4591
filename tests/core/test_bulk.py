"""bulk.insert writes what bulk_create would, row for row, on the database under test."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.core import bulk
from apps.core.models import Attempt, Event, Outcome, OutcomeStatus
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


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

    bulk.insert(outcomes)

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

    bulk.insert(attempts)

    saved = {a.pk: (a.number, a.response_body) for a in Attempt.objects.all()}
    assert len(saved) == 2501
    assert all(saved[a.pk] == (a.number, f"reply {a.number}") for a in attempts)


def test_nothing_to_insert_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk.insert([])
