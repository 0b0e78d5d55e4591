"""Destinations that misbehave: flapping, down for good, rate-limiting, hanging."""

from __future__ import annotations

import subprocess
import sys

import pytest

from apps.core.models import Attempt, Outcome, OutcomeStatus
from tests.e2e.conftest import ROOT, service_env
from tests.faults.checks import Producer, assert_nothing_lost, send_accepted
from tests.faults.conftest import FAULT_ENV, MAX_ATTEMPTS, route_to
from tests.faults.servers import BlackHole, PerEventSink
from tests.sink import Reply, Sink

EVENTS = 8


@pytest.fixture
def producer(gateway, github_source):
    sender = Producer(gateway.url, github_source.slug)
    yield sender
    sender.close()


def statuses_of(outcome: Outcome) -> list[int | None]:
    return list(outcome.attempts.order_by("number").values_list("status_code", flat=True))


def test_a_destination_that_fails_three_times_then_recovers_gets_every_event(
    github_source, producer
):
    sink = PerEventSink([Reply(status=500), Reply(status=502), Reply(status=503)])
    try:
        route_to(github_source, sink.url)
        ids = send_accepted(producer, range(EVENTS))
        assert len(ids) == EVENTS

        tally = assert_nothing_lost(ids, [sink])

        assert tally[OutcomeStatus.DELIVERED] == EVENTS
        for outcome in Outcome.objects.all():
            assert statuses_of(outcome) == [500, 502, 503, 200]
    finally:
        sink.close()


def test_a_destination_down_for_good_dead_letters_then_replay_delivers(github_source, producer):
    sink = Sink()
    sink.default = Reply(status=503, body=b"down")
    try:
        route_to(github_source, sink.url)
        ids = send_accepted(producer, range(EVENTS))

        tally = assert_nothing_lost(ids, [sink])
        assert tally[OutcomeStatus.DEAD_LETTERED] == EVENTS
        for outcome in Outcome.objects.all():
            assert outcome.attempt_count == MAX_ATTEMPTS
            assert statuses_of(outcome) == [503] * MAX_ATTEMPTS

        sink.default = Reply(status=200)
        replay = subprocess.run(
            [sys.executable, "manage.py", "replay", "--source", github_source.slug],
            cwd=ROOT,
            env={**service_env(), **FAULT_ENV},
            capture_output=True,
            text=True,
            check=True,
        )
        assert f"queued {EVENTS} outcomes" in replay.stdout

        tally = assert_nothing_lost(ids, [sink])
        assert tally[OutcomeStatus.DELIVERED] == EVENTS
        assert Attempt.objects.count() == EVENTS * (MAX_ATTEMPTS + 1)
    finally:
        sink.close()


def test_a_429_with_retry_after_is_waited_out_then_delivered(github_source, producer):
    sink = PerEventSink([Reply(status=429, headers={"Retry-After": "2"})])
    try:
        route_to(github_source, sink.url)
        ids = send_accepted(producer, range(3))

        tally = assert_nothing_lost(ids, [sink])

        assert tally[OutcomeStatus.DELIVERED] == 3
        for outcome in Outcome.objects.all():
            first, second = outcome.attempts.order_by("number")
            assert (first.status_code, second.status_code) == (429, 200)
            assert (second.started_at - first.started_at).total_seconds() >= 1.9
    finally:
        sink.close()


def test_a_destination_that_never_answers_times_out_retries_and_dead_letters(
    github_source, producer
):
    hole = BlackHole()
    try:
        route_to(github_source, hole.url, timeout_seconds=1)
        ids = send_accepted(producer, range(3))

        tally = assert_nothing_lost(ids, [], timeout=90)

        assert tally[OutcomeStatus.DEAD_LETTERED] == 3
        assert len(hole.accepted) >= 3 * MAX_ATTEMPTS
        for outcome in Outcome.objects.all():
            errors = list(outcome.attempts.values_list("error", flat=True))
            assert len(errors) == MAX_ATTEMPTS
            assert all("timed out" in error for error in errors), errors
    finally:
        hole.close()


def test_a_destination_slower_than_its_timeout_once_is_retried_and_delivered(
    github_source, producer
):
    sink = PerEventSink([Reply(delay=3)])
    try:
        route_to(github_source, sink.url, timeout_seconds=1)
        ids = send_accepted(producer, range(3))

        tally = assert_nothing_lost(ids, [sink])

        assert tally[OutcomeStatus.DELIVERED] == 3
        for outcome in Outcome.objects.all():
            first, second = outcome.attempts.order_by("number")
            assert first.status_code is None and "timed out" in first.error
            assert second.status_code == 200
    finally:
        sink.close()
