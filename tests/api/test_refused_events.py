"""Events refused at ingest (sig_failed, duplicate) can never be delivered by a click."""

from __future__ import annotations

import pytest

from apps.core.models import EventStatus, Outcome, OutcomeStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_event, make_outcome

REFUSED = [
    (EventStatus.SIG_FAILED, "signature failed"),
    (EventStatus.DUPLICATE, "duplicate of an earlier event"),
]


@pytest.mark.parametrize(("status", "words"), REFUSED)
def test_a_refused_event_cannot_be_rerouted(api, route, sink, status, words):
    event = make_event(route.source, status=status)

    response = api.post(f"/api/deliveries/{event.pk}/reroute/")

    error = assert_error(response, 409, "conflict")
    assert words in error["message"]
    assert "can never be delivered" in error["message"]
    event.refresh_from_db()
    assert event.status == status
    assert not Outcome.objects.filter(event=event).exists()
    assert sink.requests == []


@pytest.mark.parametrize(("status", "words"), REFUSED)
def test_an_outcome_of_a_refused_event_cannot_be_replayed(api, route, status, words):
    # An outcome made before the rule held (re-routing used to allow it).
    outcome = make_outcome(make_event(route.source, status=status), route)

    response = api.post(f"/api/outcomes/{outcome.pk}/replay/")

    error = assert_error(response, 409, "conflict")
    assert words in error["message"]
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DEAD_LETTERED


def test_an_event_that_was_not_refused_can_still_be_rerouted(api, route):
    event = make_event(route.source, status=EventStatus.NO_ROUTE)

    response = api.post(f"/api/deliveries/{event.pk}/reroute/")

    assert response.status_code == 200
    assert response.json() == {"queued": 1}


def test_bulk_replay_never_selects_outcomes_of_refused_events(api, route):
    kept = make_outcome(make_event(route.source), route)
    for status, _ in REFUSED:
        make_outcome(make_event(route.source, status=status), route)

    response = api.post("/api/deliveries/bulk_replay/", {"source": route.source_id}, format="json")
    by_status = api.post(
        "/api/deliveries/bulk_replay/",
        {"source": route.source_id, "status": "sig_failed"},
        format="json",
    )

    assert response.json()["queued"] == 1
    assert by_status.json()["queued"] == 0
    statuses = dict(Outcome.objects.values_list("event__status", "status"))
    assert statuses == {
        EventStatus.ROUTED: OutcomeStatus.PENDING,
        EventStatus.SIG_FAILED: OutcomeStatus.DEAD_LETTERED,
        EventStatus.DUPLICATE: OutcomeStatus.DEAD_LETTERED,
    }
    assert kept.pk in Outcome.objects.filter(status="pending").values_list("pk", flat=True)
