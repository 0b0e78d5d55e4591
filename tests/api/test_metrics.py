from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.core.models import EventStatus, MetricPoint, OutcomeStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_source


def make_point(minutes_ago: float, **fields) -> MetricPoint:
    return MetricPoint.objects.create(
        collected_at=timezone.now() - timedelta(minutes=minutes_ago), interval_seconds=60, **fields
    )


def test_it_answers_the_last_day_of_samples_oldest_first(api):
    make_point(60 * 30)
    older = make_point(90, events_received=4, success_rate=0.5)
    newer = make_point(30, events_received=7)

    results = api.get("/api/metrics/").json()["results"]

    assert [point["events_received"] for point in results] == [4, 7]
    assert results[0]["success_rate"] == 0.5
    assert results[1]["collected_at"].startswith(newer.collected_at.strftime("%Y-%m-%dT%H:%M"))
    assert older.collected_at < newer.collected_at


def test_it_answers_samples_since_a_time(api):
    make_point(90)
    make_point(10, queue_depth=3)
    since = (timezone.now() - timedelta(minutes=30)).isoformat()

    results = api.get("/api/metrics/", {"since": since}).json()["results"]

    assert [point["queue_depth"] for point in results] == [3]


def test_it_refuses_a_bad_since(api):
    error = assert_error(api.get("/api/metrics/?since=last-tuesday"), 400, "validation_error")

    assert "since" in error["fields"]


def test_it_summarises_the_last_day(api, route):
    source = route.source
    delivered = make_outcome(
        make_event(source), route, OutcomeStatus.DELIVERED, delivered_at=timezone.now()
    )
    make_attempt(delivered, 1, 200)
    dead = make_outcome(
        make_event(source), route, OutcomeStatus.DEAD_LETTERED, last_error="HTTP 500"
    )
    make_attempt(dead, 1, 500)
    make_attempt(dead, 2, 500)
    make_event(source, status=EventStatus.DUPLICATE)
    make_event(source, status=EventStatus.SIG_FAILED)
    make_event(source, status=EventStatus.RECEIVED)

    summary = api.get("/api/metrics/summary/").json()

    assert summary["events_received_24h"] == 3
    assert summary["delivered_24h"] == 1
    assert summary["failed_attempts_24h"] == 2
    assert summary["dead_letters"] == 1
    assert summary["duplicates_24h"] == 1
    assert summary["sig_failed_24h"] == 1
    assert summary["queue_depth"] == 1  # the event still waiting to be routed
    assert summary["success_rate_24h"] == 1 / 3
    [failure] = summary["recent_failures"]
    assert failure["outcome_id"] == dead.pk
    assert failure["event_id"] == dead.event_id
    assert failure["destination_name"] == route.destination.name
    assert failure["last_error"] == "HTTP 500"


def test_it_summarises_an_empty_gateway(api):
    summary = api.get("/api/metrics/summary/").json()

    assert summary["success_rate_24h"] is None
    assert summary["recent_failures"] == []


def test_the_summary_counts_the_attempts_since_the_sample_of_a_day_ago(api, route):
    # The sample Beat took a day ago had seen three attempts, one of them a success.
    make_point(24 * 60 + 1, attempts_seen=3, attempts_ok_seen=1)
    old = make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERED)
    for number, code in enumerate((500, 500, 200), start=1):
        make_attempt(old, number, code)
    fresh = make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERED)
    make_attempt(fresh, 1, 503)
    make_attempt(fresh, 2, 200)

    summary = api.get("/api/metrics/summary/").json()

    assert summary["delivered_24h"] == 1
    assert summary["failed_attempts_24h"] == 1
    assert summary["success_rate_24h"] == 0.5


def test_refusals_past_the_storage_cap_still_count_in_the_last_day(api, anon, settings):
    settings.SIG_FAILED_RECORDS_PER_MINUTE = 3
    source = make_source(slug="gh-flood", verification_scheme="github", secret="s")
    for n in range(10):
        response = anon.post(
            "/webhooks/receive/gh-flood/",
            data={"n": n},
            format="json",
            HTTP_X_HUB_SIGNATURE_256="sha256=" + "0" * 64,
        )
        assert response.status_code == 401

    summary = api.get("/api/metrics/summary/").json()
    stats = api.get(f"/api/sources/{source.pk}/").json()["stats"]

    assert summary["sig_failed_24h"] == 10  # 3 stored, 7 only counted
    assert stats["sig_failed_24h"] == 10
    assert stats["events_total"] == 3


def test_the_dead_letters_card_and_the_newest_sample_count_the_same_outcomes(api, route):
    """Dead-lettered now, of any age, replayed ones not: the card and the chart agree."""
    from apps.monitoring.metrics import collect

    week_old = make_outcome(make_event(route.source), route, OutcomeStatus.DEAD_LETTERED)
    week_old.__class__.objects.filter(pk=week_old.pk).update(
        updated_at=timezone.now() - timedelta(days=7)
    )
    make_outcome(make_event(route.source), route, OutcomeStatus.DEAD_LETTERED)
    make_outcome(make_event(route.source), route, OutcomeStatus.PENDING)  # one replayed

    sample = collect()
    summary = api.get("/api/metrics/summary/").json()
    [newest] = api.get("/api/metrics/").json()["results"][-1:]

    assert summary["dead_letters"] == sample.dead_letters_total == 2
    assert newest["dead_letters_total"] == 2


def test_the_summary_counts_filtered_events_apart_from_those_with_no_route(api, route):
    make_event(route.source, status=EventStatus.FILTERED)
    make_event(route.source, status=EventStatus.FILTERED)
    make_event(make_source(slug="bare"), status=EventStatus.NO_ROUTE)

    summary = api.get("/api/metrics/summary/").json()

    assert (summary["filtered_24h"], summary["no_route_24h"]) == (2, 1)
