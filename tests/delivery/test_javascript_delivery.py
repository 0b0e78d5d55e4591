"""JavaScript transformations in the throughput path (the sender's threads, as in the
worker): shaped deliveries, skips, and code that loops or eats memory failing alone."""

from __future__ import annotations

import json
import time

import pytest

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus, Transformation
from apps.delivery import batch, tasks
from apps.transformers import javascript
from tests.factories import make_destination, make_route, make_source
from tests.sink import Sink

pytestmark = pytest.mark.django_db(transaction=True)

SHAPE = """function transform(event) {
  return {body: {text: event.event_type + " on " + event.body.ref}, headers: {"X-Shaped": "yes"}};
}"""
LOOP = "function transform(event) { while (true) {} }"
BOMB = """function transform(event) {
  const keep = [];
  while (true) keep.push(new Array(100000).fill(event.body.ref));
}"""
SKIP = (
    "function transform(event) { return event.body.ref === 'refs/heads/main' ? null : event.body; }"
)


@pytest.fixture(autouse=True)
def quiet_sender():
    javascript.forget_engines()
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()
    javascript.forget_engines()


@pytest.fixture
def other_sink():
    server = Sink()
    yield server
    server.close()


def transformation(name: str, code: str) -> Transformation:
    return Transformation.objects.create(name=name, code=code)


def deliver_one(source, payload: dict) -> Event:
    event = Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        content_type="application/json",
        event_type="push",
        status=EventStatus.RECEIVED,
    )
    tasks.process_events([event.pk])
    assert batch.wait_idle(timeout=30)
    return event


def status_of(route) -> Outcome:
    return Outcome.objects.get(route=route)


def test_a_transformation_shapes_the_delivery_and_its_version_is_recorded(sink):
    source = make_source()
    shaper = transformation("shape", SHAPE)
    shaper.code = SHAPE.replace(" on ", " at ")
    shaper.save()  # version 2
    route = make_route(source, make_destination(sink.url), transformer="", transformation=shaper)

    deliver_one(source, {"ref": "refs/heads/main"})

    [received] = sink.requests
    assert received.json() == {"text": "push at refs/heads/main"}
    assert received.headers["x-shaped"] == "yes"
    assert received.headers["content-type"] == "application/json"
    outcome = status_of(route)
    assert outcome.status == OutcomeStatus.DELIVERED
    attempt = outcome.attempts.get()
    assert (attempt.transformation_id, attempt.transformation_version) == (shaper.pk, 2)
    assert shaper.versions.get(version=2).code == shaper.code


def test_null_ends_the_outcome_as_filtered_without_an_attempt(sink):
    source = make_source()
    route = make_route(
        source,
        make_destination(sink.url),
        transformer="",
        transformation=transformation("skip", SKIP),
    )

    deliver_one(source, {"ref": "refs/heads/main"})

    outcome = status_of(route)
    assert outcome.status == OutcomeStatus.FILTERED
    assert outcome.last_error.startswith("filtered by the transformation 'skip' (version 1)")
    assert not outcome.attempts.exists()
    # No attempt row, none counted: the outcome card's count agrees with its timeline.
    assert (outcome.attempt_count, outcome.total_attempts) == (0, 0)
    assert sink.requests == []


def test_an_infinite_loop_dead_letters_its_outcome_while_other_routes_deliver(sink, other_sink):
    source = make_source()
    looping = make_route(
        source,
        make_destination(other_sink.url),
        transformer="",
        transformation=transformation("loop", LOOP),
    )
    healthy = make_route(source, make_destination(sink.url), transformer="passthrough")

    started = time.monotonic()
    deliver_one(source, {"ref": "refs/heads/dev"})

    assert time.monotonic() - started < 10
    dead = status_of(looping)
    assert dead.status == OutcomeStatus.DEAD_LETTERED
    assert dead.last_error == "transformation 'loop' (version 1): timed out after 100 ms"
    assert dead.attempts.get().transformation_version == 1
    assert status_of(healthy).status == OutcomeStatus.DELIVERED
    assert len(sink.requests) == 1 and other_sink.requests == []

    # The worker is fine: the next event goes through too.
    deliver_one(source, {"ref": "refs/heads/next"})
    assert len(sink.requests) == 2


def test_a_memory_bomb_dead_letters_its_outcome_while_other_routes_deliver(
    sink, other_sink, settings
):
    settings.TRANSFORM_JS_TIMEOUT_MS = 5000  # so that the memory limit is what stops it
    settings.TRANSFORM_JS_MEMORY_MB = 16
    source = make_source()
    bomb = make_route(
        source,
        make_destination(other_sink.url),
        transformer="",
        transformation=transformation("bomb", BOMB),
    )
    healthy = make_route(source, make_destination(sink.url), transformer="passthrough")

    deliver_one(source, {"ref": "refs/heads/dev"})

    dead = status_of(bomb)
    assert dead.status == OutcomeStatus.DEAD_LETTERED
    assert dead.last_error == "transformation 'bomb' (version 1): ran out of memory (limit 16 MiB)"
    assert status_of(healthy).status == OutcomeStatus.DELIVERED
    assert other_sink.requests == []


def test_an_exception_dead_letters_with_its_message(sink):
    source = make_source()
    code = (
        "function transform(event) {\n"
        "  throw new TypeError('no repository in ' + event.event_type);\n}"
    )
    route = make_route(
        source,
        make_destination(sink.url),
        transformer="",
        transformation=transformation("throws", code),
    )

    deliver_one(source, {"ref": "x"})

    dead = status_of(route)
    assert dead.status == OutcomeStatus.DEAD_LETTERED
    assert dead.last_error.startswith(
        "transformation 'throws' (version 1): TypeError: no repository in push"
    )
    assert "line 2" in dead.last_error


RANDOM = "function transform(event) { return {body: {n: Math.random()}}; }"


def test_a_fan_out_through_one_transformation_runs_it_once_per_event(sink, other_sink):
    # Math.random() tells runs apart: the destinations that share a transformation get
    # the very body one run made; a route with another transformation runs its own.
    source = make_source()
    shared = transformation("shared", RANDOM)
    for n in range(3):
        make_route(
            source,
            make_destination(sink.url, name=f"shared-{n}"),
            name=f"shared-{n}",
            transformer="",
            transformation=shared,
        )
    make_route(
        source,
        make_destination(other_sink.url, name="own"),
        name="own",
        transformer="",
        transformation=transformation("own", RANDOM),
    )

    deliver_one(source, {"ref": "refs/heads/main"})

    bodies = {received.body for received in sink.wait_for(3)}
    assert len(bodies) == 1
    [own] = other_sink.wait_for(1)
    assert own.body not in bodies
