"""PostgreSQL stopped (an immediate shutdown: every connection cut) during ingest."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from apps.core.models import OutcomeStatus
from tests.e2e.conftest import wait_until
from tests.faults.checks import (
    Producer,
    accepted_ids,
    assert_every_event_accepted_once,
    assert_nothing_lost,
    assert_only_200_or_503,
)
from tests.faults.conftest import route_to
from tests.sink import Sink

EVENTS = 150


def test_postgres_stopped_during_ingest_answers_503_then_recovers(gateway, github_source, postgres):
    sink = Sink()
    producer = Producer(gateway.url, github_source.slug)
    try:
        route_to(github_source, sink.url)
        sender, answers = producer.in_background(range(EVENTS), pause=0.02)
        wait_until(lambda: len(answers) >= 30, message="ingest did not start")

        postgres.stop(immediate=True)
        during = len(answers)
        wait_until(lambda: len(answers) >= during + 15, timeout=30, message="no answers")
        time.sleep(1.0)
        postgres.start()
        sender.join(120)
        assert not sender.is_alive()

        refused = assert_only_200_or_503(answers)
        assert refused > 0, "the outage was not seen: nothing was refused"
        retries = producer.retry_refused(answers)
        assert_every_event_accepted_once(answers + retries)

        tally = assert_nothing_lost(accepted_ids(answers + retries), [sink], timeout=90)
        assert tally[OutcomeStatus.DEAD_LETTERED] == 0
    finally:
        producer.close()
        sink.close()


def test_a_request_carrying_a_session_cookie_also_gets_503_while_postgres_is_down(
    gateway, github_source, postgres
):
    """Some producers (and proxies) pass cookies along; the session middleware must not
    turn the outage into a 500 before ingest can answer 503."""
    producer = Producer(gateway.url, github_source.slug)
    producer.client.cookies.set("sessionid", "x" * 32)
    try:
        assert producer.post(0).status == 200
        postgres.stop(immediate=True)
        answers = [producer.post(n) for n in range(1, 4)]
    finally:
        if not postgres.running:
            postgres.start()
        producer.close()
    assert [a.status for a in answers] == [503] * 3, [(a.status, a.body) for a in answers]


def test_after_a_restart_the_first_requests_are_accepted_not_refused(
    gateway, github_source, postgres
):
    """The web tier keeps its connections without a per-request health check; the ones
    a restart cut are replaced on first use, not turned into 503s (apps/core/reconnect)."""
    producer = Producer(gateway.url, github_source.slug)
    try:
        with ThreadPoolExecutor(16) as pool:  # many at once: every gunicorn thread serves
            warm = list(pool.map(producer.post, range(64)))
            postgres.stop(immediate=True)
            postgres.start()
            answers = list(pool.map(producer.post, range(64, 128)))
            # The other paths keep Django's health check: they reconnect before their query.
            postgres.stop(immediate=True)
            postgres.start()
            ready = list(pool.map(lambda _: httpx.get(f"{gateway.url}/readyz"), range(64)))
    finally:
        producer.close()
    assert [a.status for a in warm] == [200] * 64
    assert [a.status for a in answers] == [200] * 64, [(a.status, a.body) for a in answers]
    assert [r.status_code for r in ready] == [200] * 64, [r.text for r in ready]
