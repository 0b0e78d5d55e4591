"""No single event wedges the pipeline: routing one event is bounded, an event whose
routing keeps failing is set aside as routing_failed while the rest of its batch is
delivered, the sweeper leaves it alone, and a re-route once its route is fixed sends it.
Deliveries go to a real local HTTP server; the recorder writes from its own thread, so
these tests commit for real."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus, ReplayVia, Route
from apps.delivery import batch, maintenance, tasks
from apps.delivery.replay import Requester, reroute_event
from tests.e2e.conftest import ROOT, die_with_parent, service_env
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db(transaction=True)

# Small payloads pass at once; a filter over the big one outlasts a tight bound.
NO_NEGATIVE_ITEM = {"path": "$.items[?(@.n < 0)]", "op": "exists", "value": False}


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


@pytest.fixture
def tight_bound(settings):
    settings.ROUTING_TIME_LIMIT_SECONDS = 0.05
    settings.ROUTING_MAX_FAILURES = 3


def stored(source, payload: dict, **fields) -> int:
    return Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        content_type="application/json",
        event_type="push",
        status=fields.pop("status", EventStatus.RECEIVED),
        **fields,
    ).pk


def big_payload() -> dict:
    return {"kind": "big", "items": [{"n": n} for n in range(300_000)]}


def process(event_ids: list[int]) -> None:
    tasks.process_events(event_ids)
    assert batch.wait_idle(timeout=30)


def test_an_event_that_outlasts_its_routing_bound_is_set_aside_and_its_batch_is_delivered(
    sink, tight_bound
):
    source = make_source()
    make_route(source, make_destination(sink.url), conditions=[NO_NEGATIVE_ITEM])
    first = stored(source, {"n": 1, "items": []})
    big = stored(source, big_payload())
    last = stored(source, {"n": 2, "items": []})

    process([first, big, last])

    assert sorted(r.json()["n"] for r in sink.wait_for(2)) == [1, 2]
    event = Event.objects.get(pk=big)
    assert event.status == EventStatus.RECEIVED  # tried again later, by the sweeper
    assert event.routing_failures == 1
    assert event.error == "routing attempt 1 of 3 failed: routing took longer than 0.05 s"

    process([big])
    process([big])

    event.refresh_from_db()
    assert event.status == EventStatus.ROUTING_FAILED
    assert event.routing_failures == 3
    assert event.error == "routing attempt 3 of 3 failed: routing took longer than 0.05 s"
    assert not Outcome.objects.filter(event_id=big).exists()
    assert len(sink.requests) == 2


def test_the_sweeper_requeues_a_failing_event_but_leaves_a_set_aside_one_alone():
    source = make_source()
    long_ago = timezone.now() - timedelta(minutes=5)
    stored(source, {}, received_at=long_ago, routing_failures=1, error="routing attempt 1 of 3")
    stored(source, {}, received_at=long_ago, status=EventStatus.ROUTING_FAILED)

    assert maintenance.sweep_unrouted() == 1


def test_rerouting_a_set_aside_event_once_its_route_is_fixed_delivers_it(sink, tight_bound):
    source = make_source()
    route = make_route(source, make_destination(sink.url), conditions=[NO_NEGATIVE_ITEM])
    big = stored(
        source,
        big_payload(),
        status=EventStatus.ROUTING_FAILED,
        routing_failures=3,
        error="routing attempt 3 of 3 failed: routing took longer than 0.05 s",
    )
    Route.objects.filter(pk=route.pk).update(
        conditions=[{"path": "$.kind", "op": "equals", "value": "big"}]
    )

    assert reroute_event(Event.objects.get(pk=big), by=Requester("", ReplayVia.CLI)) == 1
    tasks.deliver_outcomes(list(Outcome.objects.values_list("pk", flat=True)))
    assert batch.wait_idle(timeout=30)

    [request] = sink.wait_for(1)
    assert request.json()["kind"] == "big"
    event = Event.objects.get(pk=big)
    assert (event.status, event.routing_failures, event.error) == (EventStatus.ROUTED, 0, "")
    assert Outcome.objects.get().status == OutcomeStatus.DELIVERED


def test_the_admin_reroute_action_routes_a_set_aside_event(admin_client, tight_bound):
    source = make_source()
    make_route(source, make_destination("http://127.0.0.1:8/"))
    event = stored(source, {}, status=EventStatus.ROUTING_FAILED, routing_failures=3, error="x")

    response = admin_client.post(
        "/admin/core/event/",
        {"action": "reroute", "_selected_action": [event]},
        follow=True,
    )

    assert "1 deliveries queued" in response.content.decode()
    routed = Event.objects.get(pk=event)
    assert (routed.status, routed.routing_failures) == (EventStatus.ROUTED, 0)


def test_the_one_event_path_counts_a_routing_failure_too(sink, tight_bound):
    source = make_source()
    make_route(source, make_destination(sink.url), conditions=[NO_NEGATIVE_ITEM])
    big = stored(source, big_payload())

    assert tasks.process_event(big) == 0

    event = Event.objects.get(pk=big)
    assert (event.status, event.routing_failures) == (EventStatus.RECEIVED, 1)
    assert event.error.startswith("routing attempt 1 of 3 failed: routing took longer")


ROUTE_IN_ANOTHER_PROCESS = """
import django, sys
django.setup()
from apps.delivery import batch
print("routing", flush=True)
batch.route_events([int(sys.argv[1])])
"""


def test_ingest_goes_on_while_a_slow_event_is_routed_by_a_worker(client, sink):
    # The worker's write transaction opens only after the conditions ran: on SQLite, one
    # held during the evaluation made every ingest wait behind it.
    source = make_source(slug="busy")
    make_route(source, make_destination(sink.url), conditions=[NO_NEGATIVE_ITEM])
    big = stored(source, big_payload())  # about 2 s of filtering
    warm_up = client.post("/webhooks/receive/busy/", data=b"{}", content_type="application/json")
    assert warm_up.status_code == 200  # the first request of a process loads more
    env = {**service_env(), "ROUTING_TIME_LIMIT_SECONDS": "0"}  # no bound: all of it
    worker = subprocess.Popen(
        [sys.executable, "-c", ROUTE_IN_ANOTHER_PROCESS, str(big)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "relaycore.settings"},
        stdout=subprocess.PIPE,
        preexec_fn=die_with_parent,
    )
    try:
        assert worker.stdout.readline() == b"routing\n"
        time.sleep(0.5)  # it has read the event and is evaluating the condition
        started = time.monotonic()
        response = client.post(
            "/webhooks/receive/busy/", data=b"{}", content_type="application/json"
        )
        waited = time.monotonic() - started
        assert worker.poll() is None  # the two did overlap
    finally:
        assert worker.wait(timeout=60) == 0
    assert response.status_code == 200
    assert waited < 0.5
    assert Event.objects.get(pk=big).status == EventStatus.ROUTED
