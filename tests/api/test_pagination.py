from __future__ import annotations

from apps.core.models import Event, EventStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_event


def test_it_pages_lists(api, source):
    for _ in range(7):
        make_event(source)

    first = api.get("/api/deliveries/?page_size=3").json()
    third = api.get("/api/deliveries/?page_size=3&page=3").json()

    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert len(third["results"]) == 1
    assert third["next"] is None


def test_it_caps_the_page_size_at_500(api, source):
    Event.objects.bulk_create(
        Event(source=source, body=b"{}", status=EventStatus.ROUTED) for _ in range(501)
    )

    page = api.get("/api/deliveries/?page_size=100000").json()

    assert page["count"] == 501
    assert len(page["results"]) == 500


def test_it_answers_404_past_the_last_page(api):
    assert_error(api.get("/api/sources/?page=9"), 404, "not_found")


def test_it_ignores_an_ordering_it_does_not_allow(api, source):
    assert api.get("/api/sources/?ordering=secret").status_code == 200
