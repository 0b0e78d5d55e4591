"""The benchmark's listener scenario (bench/listeners.py), small, on the test gateway:
its listeners really follow a source, and the report renders what it measured."""

from __future__ import annotations

from types import SimpleNamespace

from bench import listeners, report, wrk
from load_test import Plan, ingest_url
from tests.cli.conftest import SECRET
from tests.factories import make_source


def test_a_round_with_listeners_measures_ingest_the_api_and_their_lag(
    gateway, github, viewer_token
):
    stack = SimpleNamespace(web_url=gateway.url, stream_url=gateway.stream_url)
    target = make_source(name="Load", slug=f"{github.slug}-load", verification_scheme="github")
    target.secret = SECRET
    target.save()
    plan = Plan(url=ingest_url(gateway.url, target.slug), requests=60, secret=SECRET, unique=True)

    def send(p):
        return wrk.run_python(p, 4, processes=1)

    busy = listeners.one_round(stack, send, plan, github.slug, SECRET, viewer_token, 5)

    assert busy["ingest"]["counts"]["accepted"] == 60
    assert busy["api"]["n"] > 0
    assert busy["listen"]["follow"] == "stream"
    assert busy["listen"]["connections"] == 5  # each followed the stream, none reconnected
    assert busy["listen"]["errors"] == 0
    lag = busy["listen"]["lag"]
    assert lag["n"] >= 5 * 3  # every listener got the trickled events
    assert lag["max_ms"] < 2000  # within 2 s of their 200

    rounds = [{**busy, "listeners": 0}, busy]
    listeners.LISTENERS, kept = 5, listeners.LISTENERS
    try:
        found = {"rounds": rounds, **listeners.compare(rounds)}
    finally:
        listeners.LISTENERS = kept
    # No CPU row: this stack has no stream process of its own to read /proc of.
    ingest_row, pair_row, bracketed_row, lag_row = report.listener_rows({"listeners": found})
    assert "each listener round / the round before it" in pair_row
    assert "the mean of the rounds on either side" in bracketed_row
    assert "7. ingest and API with 100 listeners (stream)" in ingest_row
    assert "7. listener lag" in lag_row and "< 2 s" in lag_row
    table = report.listener_section({"listeners": found})
    assert len([line for line in table if line.startswith("| ")]) == 3
