"""The per-item time bound: work stops at its next check once its CPU time is spent."""

from __future__ import annotations

import pytest

from apps.core import deadline


def spin(checks: int = 10**8) -> int:
    done = 0
    for _ in range(checks):
        deadline.check()
        done += 1
    return done


def test_work_past_its_bound_stops_at_the_next_check_with_the_reason():
    with (
        pytest.raises(deadline.DeadlineExceeded, match="routing took longer than 0.02 s"),
        deadline.bounded(0.02, "routing"),
    ):
        spin()


def test_an_inner_bound_does_not_outlast_the_enclosing_one():
    with (
        pytest.raises(deadline.DeadlineExceeded, match="outer took longer than 0.02 s"),
        deadline.bounded(0.02, "outer"),
        deadline.bounded(60, "inner"),
    ):
        spin()


def test_no_bound_and_a_zero_bound_never_stop_the_work():
    assert spin(1000) == 1000
    with deadline.bounded(0, "unbounded"):
        assert spin(1000) == 1000
