"""/api/routes/ takes a route's ordering key; /api/outcomes/ shows an outcome's place in
its key's line (what it waits for, and the rule for dead letters)."""

from __future__ import annotations

import json

import pytest

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from tests.api.conftest import assert_error
from tests.factories import make_route


def test_it_saves_and_answers_a_routes_ordering_key(api, source, destination):
    created = api.post(
        "/api/routes/",
        {
            "name": "per shop",
            "source": source.pk,
            "destination": destination.pk,
            "ordering_key": "headers.x-shopify-shop-domain",
            "ordering_dead_letter_blocks": True,
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    assert created.json()["ordering_key"] == "headers.x-shopify-shop-domain"
    assert created.json()["ordering_dead_letter_blocks"] is True
    patched = api.patch(f"/api/routes/{created.json()['id']}/", {"ordering_key": ""})
    assert patched.json()["ordering_key"] == ""


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("data.object.id", "JSONPath starting with $"),
        ("$[[", "invalid JSONPath"),
        ("headers.", "header name"),
        ("headers.x shop", "header name"),
    ],
)
def test_it_refuses_a_bad_ordering_key_with_a_clear_error(api, source, destination, key, says):
    response = api.post(
        "/api/routes/",
        {"name": "r", "source": source.pk, "destination": destination.pk, "ordering_key": key},
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert says in " ".join(error["fields"]["ordering_key"])


def stored(source, n: int) -> Event:
    payload = {"repo": "a", "n": n}
    return Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        status=EventStatus.ROUTED,
    )


def test_a_waiting_outcome_names_the_event_it_waits_for_and_the_rule(api, source, destination):
    route = make_route(source, destination, ordering_key="$.repo")
    first, second = stored(source, 1), stored(source, 2)
    ahead = Outcome.objects.create(
        event=first, route=route, destination=destination, ordering_key="a"
    )
    Outcome.objects.create(
        event=second,
        route=route,
        destination=destination,
        ordering_key="a",
        status=OutcomeStatus.WAITING,
        waiting_for=ahead,
    )

    body = api.get(f"/api/deliveries/{second.pk}/").json()

    (outcome,) = body["outcomes"]
    assert outcome["status"] == "waiting"
    assert outcome["waiting_for"] == ahead.pk
    assert outcome["waiting_for_event"] == first.pk
    assert outcome["ordering"] == {"key": "$.repo", "value": "a", "dead_letter_blocks": False}
    assert body["outcome_counts"]["waiting"] == 1
    listed = api.get("/api/outcomes/", {"status": "waiting"}).json()["results"]
    assert [o["event"] for o in listed] == [second.pk]
