"""A destination's 7-day figures come from Beat's hourly roll-ups: counts exact,
percentiles within a bucket (5 %) of the exact ones, recent hours read live."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from apps.api.destination_stats import attempts_in, counted, destination_stats, window
from apps.core.models import Attempt, DestinationHour, OutcomeStatus
from apps.monitoring import destination_hours, tasks
from tests.api.factories import make_event, make_outcome
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


@pytest.fixture
def outcome():
    route = make_route(make_source(), make_destination("http://127.0.0.1:9/hook"))
    return make_outcome(make_event(route.source), route, OutcomeStatus.DELIVERED)


def attempts(outcome, started: list[datetime], durations: list[float], ok: int = 200) -> None:
    Attempt.objects.bulk_create(
        Attempt(
            outcome=outcome,
            destination_id=outcome.destination_id,
            number=i + 1,
            started_at=at,
            duration_ms=ms,
            status_code=ok if i % 4 else 503,
        )
        for i, (at, ms) in enumerate(zip(started, durations, strict=True))
    )


def spread(count: int, days: float = 6.5) -> list[datetime]:
    return [NOW - timedelta(days=days) * (i + 0.5) / count for i in range(count)]


def test_beat_rolls_up_each_closed_hour_once(outcome):
    attempts(outcome, [NOW - timedelta(hours=h, minutes=10) for h in (1, 2, 2, 30)], [5] * 4)

    rolled = destination_hours.roll_up(NOW)

    # A week and an hour back from the first hour, to the last hour closed 5 minutes ago.
    assert rolled == 7 * 24 + 1
    assert destination_hours.rolled_through() == NOW.replace(minute=0)
    by_hour = dict(DestinationHour.objects.values_list("hour", "attempts"))
    assert by_hour == {
        NOW.replace(minute=0) - timedelta(hours=1): 1,
        NOW.replace(minute=0) - timedelta(hours=2): 2,
        NOW.replace(minute=0) - timedelta(hours=30): 1,
    }
    assert destination_hours.roll_up(NOW) == 0  # nothing new closed
    # The hour that closed at 13:00 waits until 13:05, for attempts still being recorded.
    assert destination_hours.roll_up(NOW.replace(hour=13, minute=4)) == 0
    assert destination_hours.roll_up(NOW.replace(hour=13, minute=5)) == 1


def test_the_week_counts_are_exact_and_its_percentiles_within_five_percent(outcome):
    rng = random.Random(7)
    durations = [rng.lognormvariate(4, 1.2) for _ in range(3000)]
    attempts(outcome, spread(3000), durations)
    week = window("7d", NOW)
    exact_total, exact_ok, exact = counted(attempts_in(outcome.destination, week), (0.5, 0.95))
    destination_hours.roll_up(NOW)

    stats = destination_stats(outcome.destination, week)

    assert (stats["attempts"], stats["delivered"]) == (exact_total, exact_ok) == (3000, 2250)
    assert stats["p50_ms"] == pytest.approx(exact[0], rel=0.05)
    assert stats["p95_ms"] == pytest.approx(exact[1], rel=0.05)
    assert DestinationHour.objects.count() > 100  # it did read the roll-ups


def test_the_hours_not_rolled_yet_are_read_live(outcome):
    attempts(outcome, spread(100), [10.0] * 100)
    destination_hours.roll_up(NOW)
    # Since the last roll-up: this hour's attempts and a slow one.
    attempts(outcome, [NOW - timedelta(minutes=5), NOW - timedelta(minutes=1)], [10.0, 9000.0])

    stats = destination_stats(outcome.destination, window("7d", NOW))

    assert stats["attempts"] == 102
    assert stats["p50_ms"] == pytest.approx(10.0, rel=0.05)


def test_before_any_roll_up_the_week_is_counted_from_the_attempts(outcome):
    attempts(outcome, spread(10), [float(ms) for ms in range(1, 11)])

    stats = destination_stats(outcome.destination, window("7d", NOW))

    assert stats["attempts"] == 10
    assert stats["p50_ms"] == 5.5  # exact, as the shorter windows are


def test_an_estimate_stays_inside_the_bucket_of_its_rank():
    buckets = {destination_hours.bucket_of(ms): 1 for ms in (100.0,)}
    assert destination_hours.estimate(buckets, 0.5) == pytest.approx(100.0, rel=0.05)
    assert destination_hours.estimate({}, 0.5) is None
    assert destination_hours.bucket_of(0.0) == 0
    assert destination_hours.bucket_of(10**9) == len(destination_hours.BOUNDS)


def test_beat_runs_the_roll_up(outcome):
    schedule = settings.CELERY_BEAT_SCHEDULE["roll-up-destination-hours"]

    assert schedule["task"] == tasks.roll_up_destination_hours.name
    assert tasks.roll_up_destination_hours() > 0


def test_hours_without_attempts_are_stepped_over_in_one_short_run(
    outcome, django_assert_max_num_queries
):
    # A new gateway's first run (and the fault tests' Beat) need not take 169
    # transactions, each holding a lock while a test's teardown truncates the tables.
    with django_assert_max_num_queries(12):
        assert destination_hours.roll_up(NOW) == 7 * 24 + 1

    assert destination_hours.rolled_through() == NOW.replace(minute=0)
    assert not DestinationHour.objects.exists()
