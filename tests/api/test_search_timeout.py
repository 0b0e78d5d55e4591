"""The free-text event search is stopped past SEARCH_TIMEOUT_MS: a 503, never a 500."""

from __future__ import annotations

import pytest

from apps.core.models import Event, EventStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_outcome


@pytest.fixture
def many_events(source):
    Event.objects.bulk_create(
        [
            Event(
                source=source,
                body=b"{}",
                payload={"n": n, "text": "lorem ipsum dolor sit amet " * 8},
                status=EventStatus.ROUTED,
            )
            for n in range(20_000)
        ],
        batch_size=2000,
    )


def test_a_search_past_the_timeout_answers_503_search_timeout(api, many_events, settings):
    settings.SEARCH_TIMEOUT_MS = 1

    response = api.get("/api/deliveries/", {"search": "no such words anywhere"})

    error = assert_error(response, 503, "search_timeout")
    assert "1 ms" in error["message"]
    # The bound ended with the search: the next request is not cut short.
    settings.SEARCH_TIMEOUT_MS = 60_000
    assert api.get("/api/deliveries/", {"page_size": 1}).status_code == 200


def test_a_bulk_replay_search_past_the_timeout_answers_503(api, route, many_events, settings):
    for event in Event.objects.all()[:200]:
        make_outcome(event, route)
    settings.SEARCH_TIMEOUT_MS = 1

    response = api.post(
        "/api/deliveries/bulk_replay/", {"search": "no such words", "dry_run": True}, format="json"
    )

    assert_error(response, 503, "search_timeout")


def test_a_search_within_the_timeout_answers(api, source, settings):
    Event.objects.create(
        source=source, body=b"{}", payload={"word": "needle"}, status=EventStatus.ROUTED
    )

    response = api.get("/api/deliveries/", {"search": "needle"})

    assert response.status_code == 200
    assert response.json()["count"] == 1
