"""The benchmark's paced scenario (2b) is judged against issue 17's latency targets, and
its report shows where the milliseconds went."""

from __future__ import annotations

from bench import report


def test_the_paced_row_needs_both_the_p50_and_the_p99_under_their_targets():
    assert report._paced_ok({"p50": 14.9, "p99": 59.9})
    assert not report._paced_ok({"p50": 15.0, "p99": 30.0})
    assert not report._paced_ok({"p50": 9.0, "p99": 61.0})
    assert not report._paced_ok({})  # nothing delivered


def test_the_paced_row_shows_both_halves_of_the_budget():
    paced = {
        "budget_ms": {
            "received_to_routed": {"p50": 4.2, "p99": 20.0},
            "routed_to_arrived": {"p50": 3.1, "p99": 12.5},
        }
    }
    shown = report._budget(paced)
    assert "received to routed 4.2 / 20.0 ms" in shown
    assert "routed to the sink 3.1 / 12.5 ms" in shown
    assert report._budget({}) == ""
