"""The event list at scale: capped counts, and a cursor that walks every row once
(apps/api/pagination.py)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.api import pagination
from apps.api.cursor import encode_after
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_event


@pytest.fixture
def events(source):
    """Nine events, three of them received at the same instant (a tie the cursor breaks
    by id)."""
    now = timezone.now()
    times = [now - timedelta(seconds=s) for s in (1, 2, 3, 3, 3, 4, 5, 6, 7)]
    return [make_event(source, received_at=at) for at in times]


def walk(api, url: str) -> tuple[list[int], list[dict]]:
    seen, pages = [], []
    while url:
        page = api.get(url).json()
        pages.append(page)
        seen.extend(row["id"] for row in page["results"])
        url = page["next"]
    return seen, pages


@pytest.mark.parametrize("ordering", ["-received_at", "received_at"])
def test_the_cursor_walks_every_event_once_in_order(api, events, ordering):
    page = api.get(f"/api/deliveries/?page_size=2&ordering={ordering}").json()
    first = page["results"]
    # From there by cursor: after the first page's last row.
    last = Event.objects.get(pk=first[-1]["id"])
    start = f"/api/deliveries/?page_size=2&ordering={ordering}&cursor="
    seen, pages = walk(api, start + encode_after(last.received_at, last.pk))

    expected = sorted(events, key=lambda e: (e.received_at, e.pk), reverse=ordering[0] == "-")
    assert [row["id"] for row in first] + seen == [e.pk for e in expected]
    assert all(page["count"] == 9 and page["previous"] is None for page in pages)
    assert "page=2" in page["next"]  # page numbers stay the default


def test_counts_stop_at_the_cap_and_next_goes_on_by_cursor(api, events, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)

    first = api.get("/api/deliveries/?page_size=2").json()
    seen, pages = walk(api, "/api/deliveries/?page_size=2")

    assert first["count"] == 4 and first["count_capped"] is True
    assert "page=2" in first["next"]
    assert "cursor=" in pages[1]["next"] and "page=" not in pages[1]["next"]
    newest_first = sorted(events, key=lambda e: (e.received_at, e.pk), reverse=True)
    assert seen == [e.pk for e in newest_first]
    assert_error(api.get("/api/deliveries/?page_size=2&page=3"), 404, "not_found")


def test_a_small_list_is_counted_exactly(api, events):
    page = api.get("/api/deliveries/?page_size=5").json()

    assert page["count"] == 9 and page["count_capped"] is False


def test_the_cursor_keeps_the_filters(api, events, source):
    refused = make_event(source, status=EventStatus.SIG_FAILED)
    after = encode_after(timezone.now() + timedelta(days=1), 1)
    seen, _ = walk(api, f"/api/deliveries/?status=sig_failed&page_size=1&cursor={after}")

    assert seen == [refused.pk]


def encoded(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "nope",
        encoded("nope"),
        encoded("2026-01-01|1"),  # no time zone
        encoded("2026-01-01T00:00:00+00:00|0"),
        encoded("0001-01-01T00:00:00+01:00|1"),  # before year 1 in UTC
        encoded(f"2026-01-01T00:00:00+00:00|{2**63}"),
        encoded("x|y"),
    ],
)
def test_a_cursor_it_did_not_give_is_a_400(api, events, cursor):
    assert_error(api.get(f"/api/deliveries/?cursor={cursor}"), 400, "validation_error")


def test_a_cursor_with_another_offset_names_the_same_instant(api, events):
    tie = events[4]
    # +23:00: an offset PostgreSQL would refuse, so the cursor is read in UTC.
    at = tie.received_at.astimezone(timezone.get_fixed_timezone(23 * 60))
    page = api.get(f"/api/deliveries/?cursor={encoded(f'{at.isoformat()}|{tie.pk}')}").json()

    newest_first = sorted(events, key=lambda e: (e.received_at, e.pk), reverse=True)
    after = newest_first[newest_first.index(tie) + 1 :]
    assert [row["id"] for row in page["results"]] == [e.pk for e in after]


def test_the_list_counts_each_events_outcomes_by_status(api, route):
    event = make_event(route.source)
    Outcome.objects.create(
        event=event, route=route, destination=route.destination, status=OutcomeStatus.DEAD_LETTERED
    )

    row = api.get("/api/deliveries/").json()["results"][0]

    assert row["outcome_counts"]["dead_lettered"] == 1
    assert row["outcome_counts"]["delivered"] == 0
