"""The benchmark's transformation scenario: its building blocks, without running a stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

from apps.transformers.base import TransformError
from bench import report, scenarios


def test_the_shaping_cost_compares_javascript_with_passthrough():
    found = scenarios.shaping_cost(50)

    assert found["runs"] == 50
    assert set(found["p50_ms"]) == {"passthrough", "javascript"}
    assert found["p50_ms"]["javascript"] > 0
    assert found["added_p50_ms"] == round(
        found["p50_ms"]["javascript"] - found["p50_ms"]["passthrough"], 3
    )


def test_the_shaping_cost_fails_loudly_on_broken_code():
    with pytest.raises(TransformError):
        scenarios.shaping_cost(1, code="function transform(e) { throw new Error('x'); }")


def test_the_report_has_a_row_for_the_scenario_only_when_it_ran():
    assert report.transformation_rows({}) == []
    ingest = {"counts": {"accepted": 300}}
    result = {
        "javascript": {"ingest": ingest, "latency_ms": {"p50": 12.0, "p99": 30.0}},
        "passthrough": {"ingest": ingest, "latency_ms": {"p50": 11.5, "p99": 29.0}},
        "in_process": {"runs": 300, "added_p50_ms": 0.25},
    }
    [row] = report.transformation_rows({"transformation": result})
    assert "adds **0.250 ms** p50" in row
    assert "6. JavaScript transformation" in row


def test_the_benchmark_command_knows_the_scenario():
    shown = subprocess.run(
        [sys.executable, "-m", "bench", "--help"], capture_output=True, text=True, check=True
    )
    assert "transformation" in shown.stdout
    from bench.__main__ import FULL, counts

    assert counts(quick=True)["transformation"] == max(FULL["transformation"] // 10, 100)
