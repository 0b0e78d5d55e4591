"""The Redis count of refusals that were not stored (apps/ingestion/refusals.py)."""

from __future__ import annotations

import time

from apps.ingestion import refusals

HOUR = 3600


def test_the_last_day_is_this_hour_and_the_23_before_it():
    now = time.time()
    refusals.count_unstored(7, now - 24 * HOUR)  # a day ago: out of the last day
    refusals.count_unstored(7, now - 23 * HOUR)
    refusals.count_unstored(7, now)
    refusals.count_unstored(8, now)

    assert refusals.unstored_last_day(now) == {7: 2, 8: 1}
    assert refusals.unstored_totals() == {7: 3, 8: 1}


def test_with_redis_away_nothing_is_counted_and_nothing_raises(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    refusals.count_unstored(7)

    assert refusals.unstored_totals() is None
    assert refusals.unstored_last_day() == {}
