"""End to end: HTTP in, a real Celery worker, HTTP out to a real local server."""

from __future__ import annotations

import time

import pytest

from apps.core.models import (
    Attempt,
    Destination,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
    ReplayVia,
)
from apps.delivery.replay import Requester, replay_outcomes
from tests.e2e.conftest import GitHub, wait_until
from tests.factories import make_destination, make_route
from tests.sink import Reply

pytestmark = pytest.mark.e2e
SECRET = "e2e-secret"


def send(client, slug: str, payload: dict, event: str = "push", delivery: str | None = None):
    return GitHub(slug, SECRET).post(client, payload, delivery, event)


def outcome_status(outcome_filter: dict, status: str, timeout: float = 20.0) -> Outcome:
    return wait_until(
        lambda: Outcome.objects.filter(status=status, **outcome_filter).first(),
        timeout=timeout,
        message=f"no outcome reached {status}: "
        + str(list(Outcome.objects.values("status", "attempt_count", "last_error"))),
    )


@pytest.fixture
def github(worker):
    return GitHub("gh", SECRET).source()


def test_an_event_is_routed_transformed_and_delivered(client, github, sink):
    destination = make_destination(sink.url)
    make_route(github, destination, event_types=["push"], transformer="passthrough")

    response = send(client, "gh", {"ref": "refs/heads/main"}, delivery="one")

    assert response.json()["status"] == "accepted"
    [received] = sink.wait_for(1)
    assert received.json() == {"ref": "refs/heads/main"}
    assert received.headers["x-relaycore-event-type"] == "push"
    outcome = outcome_status({}, OutcomeStatus.DELIVERED)
    assert outcome.attempts.get().status_code == 200
    assert Event.objects.get().status == EventStatus.ROUTED


def test_the_github_to_slack_transformer_shapes_the_outgoing_body(client, github, sink):
    make_route(github, make_destination(sink.url), transformer="github_to_slack")
    payload = {
        "ref": "refs/heads/main",
        "repository": {"full_name": "acme/api", "html_url": "https://github.com/acme/api"},
        "pusher": {"name": "ada"},
        "commits": [{"id": "abcdef1234567", "message": "Fix it", "url": "https://x/c"}],
    }
    send(client, "gh", payload)
    [received] = sink.wait_for(1)
    assert "text" in received.json()
    assert "acme/api" in received.json()["text"]


def test_a_duplicate_reaches_the_destination_once(client, github, sink):
    make_route(github, make_destination(sink.url))
    assert send(client, "gh", {"n": 1}, delivery="dup").json()["status"] == "accepted"
    assert send(client, "gh", {"n": 1}, delivery="dup").json()["status"] == "duplicate"

    sink.wait_for(1)
    time.sleep(1.0)
    assert len(sink.requests) == 1


def test_a_bad_signature_is_stored_but_never_delivered(client, github, sink):
    make_route(github, make_destination(sink.url))
    response = client.post(
        "/webhooks/receive/gh/",
        data=b"{}",
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256="sha256=" + "0" * 64,
    )
    assert response.status_code == 401
    time.sleep(1.0)
    assert sink.requests == []
    assert Event.objects.get().status == EventStatus.SIG_FAILED


def test_an_event_no_route_matches_is_filtered_with_the_reason(client, github, sink):
    route = make_route(github, make_destination(sink.url), event_types=["release"])
    send(client, "gh", {"n": 1}, event="push")
    wait_until(lambda: Event.objects.filter(status=EventStatus.FILTERED).exists())
    assert sink.requests == []
    [verdict] = Event.objects.get().routing
    assert (verdict["route"], verdict["code"]) == (route.pk, "event_type")


def test_an_event_of_a_source_without_active_routes_is_marked_no_route(client, github, sink):
    make_route(github, make_destination(sink.url), is_active=False)
    send(client, "gh", {"n": 1}, event="push")
    wait_until(lambda: Event.objects.filter(status=EventStatus.NO_ROUTE).exists())
    assert sink.requests == []


def test_an_event_fans_out_to_every_matching_route(client, github):
    from tests.sink import Sink

    sinks = [Sink() for _ in range(3)]
    try:
        for index, server in enumerate(sinks):
            make_route(github, make_destination(server.url), priority=index)
        send(client, "gh", {"n": 1})
        for server in sinks:
            server.wait_for(1)
        wait_until(lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == 3)
    finally:
        for server in sinks:
            server.close()


def test_conditions_decide_which_routes_run(client, github, sink):
    make_route(
        github,
        make_destination(sink.url),
        conditions=[{"path": "$.ref", "op": "equals", "value": "refs/heads/main"}],
    )
    send(client, "gh", {"ref": "refs/heads/feature"}, delivery="f")
    send(client, "gh", {"ref": "refs/heads/main"}, delivery="m")
    [received] = sink.wait_for(1)
    assert received.json()["ref"] == "refs/heads/main"
    wait_until(lambda: Event.objects.filter(status=EventStatus.FILTERED).exists())


def test_a_failing_destination_is_retried_until_it_succeeds(client, github, sink):
    sink.respond(Reply(status=500), Reply(status=502))
    make_route(github, make_destination(sink.url))
    send(client, "gh", {"n": 1})

    sink.wait_for(3)
    outcome = outcome_status({}, OutcomeStatus.DELIVERED)
    codes = list(outcome.attempts.values_list("status_code", flat=True))
    assert codes == [500, 502, 200]
    assert outcome.attempts.last().response_body == '{"ok": true}'


def test_after_max_attempts_it_is_dead_lettered_then_replay_delivers_it(
    client, github, sink, settings
):
    sink.default = Reply(status=503, body=b"down for maintenance")
    destination = make_destination(sink.url)
    make_route(github, destination)
    send(client, "gh", {"n": 1})

    outcome = outcome_status({}, OutcomeStatus.DEAD_LETTERED)
    assert outcome.attempt_count == 4  # DELIVERY_MAX_ATTEMPTS in the test environment
    attempts = Attempt.objects.filter(outcome=outcome)
    assert attempts.count() == 4
    assert set(attempts.values_list("response_body", flat=True)) == {"down for maintenance"}
    destination.refresh_from_db()
    assert destination.consecutive_failures == 4

    sink.default = Reply(status=200)
    assert (
        replay_outcomes(Outcome.objects.filter(pk=outcome.pk), by=Requester("", ReplayVia.CLI)) == 1
    )
    delivered = outcome_status({"pk": outcome.pk}, OutcomeStatus.DELIVERED)
    assert delivered.attempts.count() == 5
    destination.refresh_from_db()
    assert destination.consecutive_failures == 0


def test_a_client_error_is_not_retried(client, github, sink):
    sink.default = Reply(status=410)
    make_route(github, make_destination(sink.url))
    send(client, "gh", {"n": 1})
    outcome = outcome_status({}, OutcomeStatus.DEAD_LETTERED)
    assert outcome.attempt_count == 1
    assert len(sink.requests) == 1


def test_retry_after_is_honoured(client, github, sink):
    sink.respond(Reply(status=429, headers={"Retry-After": "2"}))
    make_route(github, make_destination(sink.url))
    send(client, "gh", {"n": 1})

    first, second = sink.wait_for(2, timeout=20)
    assert second.at - first.at >= 1.9
    outcome_status({}, OutcomeStatus.DELIVERED)


def test_a_hanging_destination_does_not_delay_another(client, github, sink):
    from tests.sink import Sink

    slow = Sink()
    slow.default = Reply(delay=4)
    try:
        make_route(github, make_destination(slow.url, timeout_seconds=4.5), priority=200)
        make_route(github, make_destination(sink.url), priority=100)
        started = time.monotonic()
        for n in range(5):
            send(client, "gh", {"n": n})
        sink.wait_for(5, timeout=10)
        assert time.monotonic() - started < 3.5
    finally:
        slow.close()


def test_a_worker_killed_mid_delivery_loses_nothing(client, github, sink, worker):
    sink.respond(Reply(delay=3))
    make_route(github, make_destination(sink.url, timeout_seconds=5))
    send(client, "gh", {"n": 1})
    sink.wait_for(1)
    assert Outcome.objects.get().status == OutcomeStatus.DELIVERING

    worker.kill()
    worker.start()

    outcome = outcome_status({}, OutcomeStatus.DELIVERED, timeout=30)
    assert len(sink.requests) >= 2  # at least once: the killed attempt is sent again
    assert outcome.attempts.filter(status_code=200).exists()


def test_an_event_stored_while_the_broker_was_down_is_swept_and_delivered(
    client, github, sink, monkeypatch
):
    from relaycore.celery import app

    make_route(github, make_destination(sink.url))

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(app, "send_task", broker_down)
    response = send(client, "gh", {"n": 1})
    monkeypatch.undo()

    assert response.json()["status"] == "accepted"
    assert Event.objects.get().status == EventStatus.RECEIVED
    sink.wait_for(1, timeout=20)
    outcome_status({}, OutcomeStatus.DELIVERED)


def test_a_destination_refused_by_the_ssrf_guard_at_delivery_is_dead_lettered(client, github, sink):
    destination = make_destination(sink.url)
    make_route(github, destination)
    # As if DNS or the row changed after the save-time check: the guard runs again.
    Destination.objects.filter(pk=destination.pk).update(url="http://169.254.169.254/latest")
    send(client, "gh", {"n": 1})
    outcome = outcome_status({}, OutcomeStatus.DEAD_LETTERED)
    assert "169.254.169.254" in outcome.last_error
    assert outcome.attempt_count == 1
    assert sink.requests == []
