"""The benchmark's issue 17 ratios (bench.scenarios.ratios) and their report rows."""

from __future__ import annotations

from bench.report import ratio_rows
from bench.scenarios import ratios


def results(fan_rate: float, p99_ms: float) -> dict:
    return {
        "ingest": {"accepted_per_s": 1000.0},
        "e2e": {"deliveries_per_s": 600.0},
        "fanout": {
            "destinations": 10,
            "delivered": 3000,
            "deliveries_per_s": fan_rate,
            "latency_ms": {"p50": 1.0, "p99": p99_ms, "max": p99_ms},
            "ingest": {"counts": {"accepted": 300}},
        },
    }


def test_the_ratios_compare_figures_of_the_same_run():
    found = ratios(results(fan_rate=1200.0, p99_ms=2000.0))

    assert found["e2e_to_ingest"] == 0.6
    assert found["fanout_to_single"] == 2.0
    assert found["fanout_drain_ms"] == 2500.0  # 3,000 deliveries at 1,200/s
    assert found["fanout_p99_within_drain"] is True


def test_the_report_says_which_targets_a_run_missed():
    rows = ratio_rows(results(fan_rate=600.0, p99_ms=9000.0))

    assert len(rows) == 2
    assert "0.60x" in rows[0] and "**not met**" in rows[0]
    assert "1.00x" in rows[1] and "**not met**" in rows[1]
    assert "drain time 5,000 ms" in rows[1]
    met = ratio_rows({**results(fan_rate=1200.0, p99_ms=2000.0), "e2e": {"deliveries_per_s": 900}})
    assert "| met |" in met[0] and "| met |" not in met[1]
