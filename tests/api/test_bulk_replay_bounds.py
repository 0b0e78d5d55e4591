"""Bulk replay is bounded: a filter is required, a cap applies, delivered needs asking."""

from __future__ import annotations

from apps.core.models import Outcome, OutcomeStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_event, make_outcome

URL = "/api/deliveries/bulk_replay/"


def test_bulk_replay_needs_at_least_one_filter(api, route):
    make_outcome(make_event(route.source), route)

    for body in ({}, {"dry_run": True}, {"outcome_status": "retrying"}, {"search": ""}):
        error = assert_error(api.post(URL, body, format="json"), 400, "validation_error")
        assert error["message"] == "bulk replay needs at least one filter"
    assert Outcome.objects.get().status == OutcomeStatus.DEAD_LETTERED


def test_bulk_replay_queues_at_most_the_cap_oldest_first(api, route, settings):
    settings.BULK_REPLAY_MAX = 2
    outcomes = [make_outcome(make_event(route.source), route) for _ in range(3)]

    dry = api.post(URL, {"route": route.pk, "dry_run": True}, format="json")
    done = api.post(URL, {"route": route.pk}, format="json")

    assert dry.json() == {"would_queue": 2, "matched": 3, "capped": True, "limit": 2}
    assert done.json() == {"queued": 2, "matched": 3, "capped": True, "limit": 2}
    statuses = [Outcome.objects.get(pk=o.pk).status for o in outcomes]
    assert statuses == [OutcomeStatus.PENDING, OutcomeStatus.PENDING, OutcomeStatus.DEAD_LETTERED]


def test_delivered_outcomes_are_resent_only_when_asked(api, route):
    delivered = make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERED)
    dead = make_outcome(make_event(route.source), route)

    refused = api.post(URL, {"route": route.pk, "outcome_status": "delivered"}, format="json")
    error = assert_error(refused, 400, "validation_error")
    assert "include_delivered" in error["fields"]
    assert (
        api.post(URL, {"route": route.pk, "dry_run": True}, format="json").json()["would_queue"]
        == 1
    )

    both = api.post(URL, {"route": route.pk, "include_delivered": True}, format="json")

    assert both.json()["queued"] == 2
    assert {Outcome.objects.get(pk=o.pk).status for o in (delivered, dead)} == {
        OutcomeStatus.PENDING
    }
