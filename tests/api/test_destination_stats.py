"""GET /api/destinations/<id>/stats/ and the destination filter of the event list: what a
destination's page shows."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import OutcomeStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_destination, make_route


def stats(api, destination, window: str | None = None) -> dict:
    query = {"window": window} if window else {}
    response = api.get(f"/api/destinations/{destination.pk}/stats/", query)
    assert response.status_code == 200, response.content
    return response.json()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_it_answers_empty_figures_for_a_destination_without_attempts(api, destination):
    body = stats(api, destination)

    assert body["window"] == "24h"
    assert (body["attempts"], body["delivered"], body["failed"]) == (0, 0, 0)
    assert (body["success_rate"], body["p50_ms"], body["p95_ms"]) == (None, None, None)
    assert (body["held"], body["dead_letters"], body["recent_errors"]) == (0, 0, [])
    assert body["health"]["last_success_at"] is None


def test_it_counts_the_attempts_of_the_window_and_their_percentiles(api, route):
    now = timezone.now()
    delivered = make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERED)
    dead = make_outcome(make_event(route.source), route, OutcomeStatus.DEAD_LETTERED)
    durations = [10.0, 20.0, 30.0, 40.0, 100.0]
    for number, duration in enumerate(durations[:3], start=1):
        make_attempt(dead, number, 503, duration_ms=duration, started_at=now - timedelta(minutes=5))
    make_attempt(delivered, 1, 200, duration_ms=40.0, started_at=now - timedelta(minutes=3))
    make_attempt(delivered, 2, 200, duration_ms=100.0, started_at=now - timedelta(minutes=2))
    # Two hours ago: in the 24-hour window, not in the hour's.
    make_attempt(delivered, 3, 200, duration_ms=5000.0, started_at=now - timedelta(hours=2))
    # On another destination: never counted here.
    other = make_route(route.source, make_destination("http://127.0.0.1:9/", name="Other"))
    make_attempt(make_outcome(make_event(route.source), other), 1, 500, duration_ms=9999.0)

    hour = stats(api, route.destination, "1h")

    assert (hour["attempts"], hour["delivered"], hour["failed"]) == (5, 2, 3)
    assert hour["success_rate"] == pytest.approx(0.4)
    assert hour["p50_ms"] == pytest.approx(statistics.median(durations))
    # Continuous: 95 % of the way from rank 0 to rank 4 lies between 40 and 100.
    assert hour["p95_ms"] == pytest.approx(40.0 + 0.8 * 60.0)
    assert hour["dead_letters"] == 1
    assert [error["status_code"] for error in hour["recent_errors"]] == [503, 503, 503]
    assert {(e["event"], e["outcome"]) for e in hour["recent_errors"]} == {(dead.event_id, dead.pk)}

    day = stats(api, route.destination, "24h")
    assert (day["attempts"], day["delivered"]) == (6, 3)
    assert day["p50_ms"] == pytest.approx(35.0)  # between 30 and 40, the 3rd and 4th of 6


def test_it_leaves_attempts_older_than_seven_days_out(api, route):
    outcome = make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERED)
    make_attempt(outcome, 1, 200, started_at=timezone.now() - timedelta(days=8))

    assert stats(api, route.destination, "7d")["attempts"] == 0


def test_it_counts_held_outcomes_and_lists_errors_newest_first(api, route):
    make_outcome(make_event(route.source), route, OutcomeStatus.HELD)
    outcome = make_outcome(make_event(route.source), route, OutcomeStatus.RETRYING)
    now = timezone.now()
    make_attempt(
        outcome, 1, None, error="connection refused", started_at=now - timedelta(minutes=9)
    )
    make_attempt(outcome, 2, 502, error="", started_at=now - timedelta(minutes=1))

    body = stats(api, route.destination)

    assert body["held"] == 1
    assert [(e["status_code"], e["error"]) for e in body["recent_errors"]] == [
        (502, ""),
        (None, "connection refused"),
    ]


def test_it_refuses_an_unknown_window(api, destination):
    response = api.get(f"/api/destinations/{destination.pk}/stats/?window=30d")

    error = assert_error(response, 400, "validation_error")
    assert "window" in error["fields"]


def test_it_answers_404_for_the_stats_of_a_deleted_destination(api, destination):
    destination.delete()

    assert_error(api.get(f"/api/destinations/{destination.pk}/stats/"), 404, "not_found")


def test_it_lists_the_events_that_had_an_outcome_to_a_destination(api, route):
    other = make_route(route.source, make_destination("http://127.0.0.1:9/", name="Other"))
    mine = make_event(route.source)
    make_outcome(mine, route, OutcomeStatus.DELIVERED)
    theirs = make_event(route.source)
    make_outcome(theirs, other, OutcomeStatus.DEAD_LETTERED)
    both = make_event(route.source)
    make_outcome(both, route, OutcomeStatus.DELIVERED)
    make_outcome(both, other, OutcomeStatus.DEAD_LETTERED)

    url = "/api/deliveries/"
    assert sorted(ids(api.get(url, {"destination": route.destination_id}))) == [mine.pk, both.pk]
    # Both filters: one outcome must match both (`both` was dead-lettered elsewhere only).
    mine_dead = {"destination": route.destination_id, "outcome_status": "dead_lettered"}
    assert ids(api.get(url, mine_dead)) == []
    theirs_dead = {"destination": other.destination_id, "outcome_status": "dead_lettered"}
    assert sorted(ids(api.get(url, theirs_dead))) == [theirs.pk, both.pk]


def test_it_refuses_a_destination_filter_that_is_not_an_id(api):
    error = assert_error(api.get("/api/deliveries/?destination=ops"), 400, "validation_error")

    assert "destination" in error["fields"]


def test_it_bulk_replays_only_the_dead_letters_of_one_destination(api, route):
    other = make_route(route.source, make_destination("http://127.0.0.1:9/", name="Other"))
    event = make_event(route.source)
    mine = make_outcome(event, route, OutcomeStatus.DEAD_LETTERED)
    theirs = make_outcome(event, other, OutcomeStatus.DEAD_LETTERED)

    response = api.post(
        "/api/deliveries/bulk_replay/", {"destination": route.destination_id}, format="json"
    )

    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (OutcomeStatus.PENDING, OutcomeStatus.DEAD_LETTERED)
