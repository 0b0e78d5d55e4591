"""The attempt timeline as the API serves it: each attempt's request as sent (masked) and
its answer's headers, where a replay started and who asked for it, attempt counts that
agree with the timeline, and the event's delivery state summed up from its outcomes.

Deliveries go through the one delivery path to a real local HTTP server; the sender
records from its own thread, so these tests commit for real."""

from __future__ import annotations

import getpass
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import EventStatus, Outcome, OutcomeStatus, Replay, ReplayVia
from apps.core.standard_webhooks import generate_secret
from apps.delivery import batch, tasks
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_route
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)

AUTH_TOKEN = "s3cr3t-bearer-token-0042"


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()


def received(route) -> int:
    return make_event(route.source, {"ref": "refs/heads/main"}, status=EventStatus.RECEIVED).pk


def route_it(event_id: int) -> None:
    tasks.process_events([event_id])
    assert batch.wait_idle(timeout=30)


def attempt_again(outcome_id: int) -> None:
    assert tasks.deliver_outcomes([outcome_id]) == 1
    assert batch.wait_idle(timeout=30)


def test_each_attempt_serves_the_request_it_sent_beside_the_answer(api, route, sink):
    route.destination.auth_header = f"Bearer {AUTH_TOKEN}"
    route.destination.signing_secret = generate_secret()
    route.destination.save()
    sink.default = Reply(status=202, body=b'{"queued": true}', headers={"X-Request-Id": "r-9"})
    event_id = received(route)

    route_it(event_id)
    response = api.get(f"/api/deliveries/{event_id}/")

    [sent] = sink.wait_for(1)
    [attempt] = response.json()["outcomes"][0]["attempts"]
    request = attempt["request"]
    assert request["method"] == "POST"
    assert request["url"] == sink.url
    assert request["headers"]["webhook-signature"] == "v1,[redacted]"
    assert request["headers"]["Authorization"] == "[redacted]"
    assert request["headers"]["webhook-id"] == sent.headers["webhook-id"]
    assert request["body"] == sent.body.decode()
    assert (request["body_size"], request["body_truncated"]) == (len(sent.body), False)
    assert attempt["status_code"] == 202
    assert attempt["response_headers"]["x-request-id"] == "r-9"
    assert attempt["response_body"] == '{"queued": true}'
    assert AUTH_TOKEN not in response.content.decode()
    assert sent.headers["webhook-signature"].removeprefix("v1,") not in response.content.decode()


def test_an_attempt_that_sent_nothing_serves_no_request(api, route):
    outcome = make_outcome(make_event(route.source), route)
    make_attempt(outcome, 1, None, error="its route was deleted")

    [attempt] = api.get(f"/api/outcomes/{outcome.pk}/").json()["attempts"]

    assert attempt["request"] is None
    assert attempt["response_headers"] == {}


def test_after_a_replay_the_counts_agree_with_the_timeline_and_mark_who_replayed(
    api, route, sink, settings
):
    settings.DELIVERY_MAX_ATTEMPTS = 2
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 0
    sink.default = Reply(status=503)
    event_id = received(route)
    route_it(event_id)
    outcome = Outcome.objects.get(event_id=event_id)
    attempt_again(outcome.pk)  # the second and last: dead-lettered

    assert api.post(f"/api/outcomes/{outcome.pk}/replay/").json() == {"queued": 1}
    sink.default = Reply(status=200)
    attempt_again(outcome.pk)
    served = api.get(f"/api/outcomes/{outcome.pk}/").json()

    assert served["status"] == "delivered"
    assert [a["number"] for a in served["attempts"]] == [1, 2, 3]
    assert served["total_attempts"] == 3  # what the timeline shows
    assert served["attempt_count"] == 1  # since the replay
    first, second, third = served["attempts"]
    assert first["replay"] is None and second["replay"] is None
    assert third["replay"] == {"by": "alice", "via": "api", "at": third["replay"]["at"]}
    assert third["replay"]["at"] <= third["started_at"]
    assert served["replays"] == [{**third["replay"], "first_attempt": 3}]


def test_a_replay_waiting_for_its_first_attempt_is_listed_on_the_outcome(api, route):
    outcome = make_outcome(make_event(route.source), route, total_attempts=6)
    for number in range(1, 7):
        make_attempt(outcome, number, 500)

    api.post(f"/api/outcomes/{outcome.pk}/replay/")
    served = api.get(f"/api/outcomes/{outcome.pk}/").json()

    assert [r["first_attempt"] for r in served["replays"]] == [7]
    assert all(attempt["replay"] is None for attempt in served["attempts"])


def test_a_replay_from_the_command_line_is_marked_with_the_os_user(api, route):
    outcome = make_outcome(make_event(route.source), route, total_attempts=1)

    call_command("replay", "--event", str(outcome.event_id), stdout=io.StringIO())

    [replay] = api.get(f"/api/outcomes/{outcome.pk}/").json()["replays"]
    assert (replay["by"], replay["via"], replay["first_attempt"]) == (getpass.getuser(), "cli", 2)


S = OutcomeStatus


@pytest.mark.parametrize(
    ("statuses", "state"),
    [
        ([S.DEAD_LETTERED], "dead_lettered"),  # not "routed": its only outcome failed
        ([S.DELIVERED, S.DEAD_LETTERED], "partly_delivered"),
        ([S.DELIVERED, S.FILTERED], "delivered"),
        ([S.DEAD_LETTERED, S.RETRYING, S.DELIVERED], "retrying"),
        ([S.PENDING, S.DELIVERED], "delivering"),
        ([S.HELD, S.DELIVERED], "held"),
        ([S.WAITING, S.DELIVERED], "waiting"),  # behind an earlier event of its key
        ([S.FILTERED], "filtered"),
        ([], None),
    ],
)
def test_the_event_state_sums_up_its_outcomes_in_the_list_and_the_detail(
    api, route, statuses, state
):
    event = make_event(route.source, status=EventStatus.ROUTED if statuses else "no_route")
    for status in statuses:
        make_outcome(event, make_route(route.source, route.destination), status)

    [listed] = api.get("/api/deliveries/").json()["results"]
    detail = api.get(f"/api/deliveries/{event.pk}/").json()

    assert listed["delivery_state"] == detail["delivery_state"] == state
    assert detail["status"] == event.status  # ingest's word for the event stays as it was


def test_the_event_page_reads_replays_and_attempts_in_a_fixed_number_of_queries(api, route):
    def event_with(outcomes: int) -> int:
        event = make_event(route.source)
        for _ in range(outcomes):
            outcome = make_outcome(event, make_route(route.source, route.destination))
            for number in (1, 2):
                make_attempt(outcome, number, 500)
            Replay.objects.create(
                outcome=outcome, first_attempt=2, requested_by="alice", via=ReplayVia.API
            )
        return event.pk

    small, large = event_with(1), event_with(5)
    api.get(f"/api/deliveries/{small}/")  # the token's first use of the run is written once
    with CaptureQueriesContext(connection) as one:
        assert api.get(f"/api/deliveries/{small}/").status_code == 200
    with CaptureQueriesContext(connection) as five:
        detail = api.get(f"/api/deliveries/{large}/").json()

    assert len(five.captured_queries) == len(one.captured_queries)
    assert all(o["attempts"][1]["replay"]["by"] == "alice" for o in detail["outcomes"])
