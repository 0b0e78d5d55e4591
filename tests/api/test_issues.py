"""Issues through the API: failures delivered for real (the pipeline called directly,
as a worker runs it, against a local HTTP server), then read and acted on at
/api/issues/. The recorder writes from its own thread, so these tests commit."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from apps.delivery import batch, tasks
from tests.api.conftest import assert_error
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_sender(settings):
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 600  # a retry waits for the test, not a timer
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


@pytest.fixture
def operator(django_user_model) -> APIClient:
    person = django_user_model.objects.create_user("olga")
    set_role(person, Role.OPERATOR)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person).key}")
    return client


def deliver(source, n: int = 1) -> list[Event]:
    """Store n events of the source and run them through routing and delivery."""
    events = [
        Event.objects.create(
            source=source,
            body=json.dumps({"n": i}).encode(),
            payload={"n": i},
            content_type="application/json",
            event_type="push",
            status=EventStatus.RECEIVED,
        )
        for i in range(n)
    ]
    tasks.process_events([event.pk for event in events])
    assert batch.wait_idle(timeout=30)
    return events


def issues_of(client: APIClient, **filters) -> list[dict]:
    response = client.get("/api/issues/", filters)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_destination_answering_500_then_timing_out_has_two_issues_with_their_counts(
    sink, operator
):
    source = make_source()
    destination = make_destination(sink.url, name="Flaky", timeout_seconds=1)
    make_route(source, destination)

    sink.default = Reply(status=500)
    deliver(source, 3)
    sink.default = Reply(delay=1.5)  # past the destination's 1 s timeout
    deliver(source, 2)

    found = {issue["kind"]: issue for issue in issues_of(operator)}
    assert set(found) == {"http_5xx", "timeout"}
    assert (found["http_5xx"]["count"], found["timeout"]["count"]) == (3, 2)
    assert found["http_5xx"]["last_status_code"] == 500
    assert found["http_5xx"]["last_error"].startswith("HTTP 500")
    assert found["timeout"]["last_error"] == "timed out after 1 s"
    assert {issue["destination_name"] for issue in found.values()} == {"Flaky"}
    assert all(issue["status"] == "open" for issue in found.values())
    first = found["http_5xx"]
    assert first["first_seen"] <= first["last_seen"] < found["timeout"]["last_seen"]
    assert [i["kind"] for i in issues_of(operator, kind="timeout")] == ["timeout"]
    assert issues_of(operator, destination=destination.pk + 1) == []


def test_successes_make_no_issue_and_a_refused_connection_is_its_own_kind_without_secrets(
    sink, operator
):
    source = make_source()
    make_route(source, make_destination(sink.url))
    token_url = "http://127.0.0.1:9/hook?token=s3cr3t-t0ken"  # a credential in the URL
    make_route(source, make_destination(token_url, name="Closed port"))

    deliver(source, 2)

    [issue] = issues_of(operator)
    affected = operator.get(f"/api/issues/{issue['id']}/outcomes/").content.decode()
    assert "s3cr3t" not in json.dumps(issue) and "s3cr3t" not in affected
    assert (issue["destination_name"], issue["kind"], issue["count"]) == (
        "Closed port",
        "connection",
        2,
    )
    assert issue["last_error"] == "connection refused"


def test_the_ssrf_guards_refusal_and_a_failed_transformation_are_issues_of_their_kind(
    sink, operator
):
    source = make_source()
    make_route(source, make_destination("http://169.254.169.254/latest", name="Metadata"))
    make_route(source, make_destination(sink.url, name="Shaped"), transformer="no-such-one")

    deliver(source)

    kinds = {issue["destination_name"]: issue["kind"] for issue in issues_of(operator)}
    assert kinds == {"Metadata": "ssrf_refused", "Shaped": "transform_error"}
    assert sink.requests == []


def test_the_detail_lists_the_affected_events_with_their_outcomes(sink, operator):
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    sink.default = Reply(status=404)  # permanent: dead-lettered at once
    events = deliver(source, 3)
    sink.default = Reply(status=200)
    deliver(source, 1)  # delivered: not affected

    [issue] = issues_of(operator)
    detail = operator.get(f"/api/issues/{issue['id']}/").json()
    assert (detail["kind"], detail["affected"], detail["dead_letters"]) == ("http_4xx", 3, 3)
    page = operator.get(f"/api/issues/{issue['id']}/outcomes/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2
    listed = page["results"] + operator.get(page["next"]).json()["results"]
    assert sorted(row["event"] for row in listed) == sorted(event.pk for event in events)
    assert {row["status"] for row in listed} == {"dead_lettered"}
    assert listed[0]["last_error"].startswith("HTTP 404")


def test_a_new_failure_reopens_a_resolved_issue_and_its_count_goes_on(sink, operator):
    source = make_source()
    make_route(source, make_destination(sink.url))
    sink.default = Reply(status=503)
    deliver(source, 2)
    [issue] = issues_of(operator)

    resolved = operator.post(f"/api/issues/{issue['id']}/resolve/").json()
    assert (resolved["status"], resolved["resolved_by"]) == ("resolved", "olga")
    assert resolved["reopened_at"] is None

    deliver(source)

    [again] = issues_of(operator)
    assert (again["id"], again["status"], again["count"]) == (issue["id"], "open", 3)
    assert again["reopened_at"] is not None and again["reopened_at"] >= resolved["resolved_at"]
    assert again["first_seen"] == issue["first_seen"]


def test_an_acknowledged_issue_stays_acknowledged_through_new_failures(sink, operator):
    source = make_source()
    make_route(source, make_destination(sink.url))
    sink.default = Reply(status=500)
    deliver(source)
    [issue] = issues_of(operator)

    acknowledged = operator.post(f"/api/issues/{issue['id']}/acknowledge/").json()
    deliver(source)

    [now] = issues_of(operator, status="acknowledged")
    assert (acknowledged["acknowledged_by"], now["status"], now["count"]) == (
        "olga",
        "acknowledged",
        2,
    )
    assert issues_of(operator, status="open") == []


def test_acknowledging_a_resolved_issue_is_a_conflict(sink, operator):
    source = make_source()
    make_route(source, make_destination(sink.url))
    sink.default = Reply(status=500)
    deliver(source)
    [issue] = issues_of(operator)
    operator.post(f"/api/issues/{issue['id']}/resolve/")

    response = operator.post(f"/api/issues/{issue['id']}/acknowledge/")

    assert_error(response, 409, "conflict")
    assert issues_of(operator)[0]["status"] == "resolved"


def test_replay_queues_only_the_issues_dead_letters(sink, operator):
    source = make_source()
    destination = make_destination(sink.url)
    make_route(source, destination)
    sink.default = Reply(status=400)
    deliver(source, 2)  # dead letters
    sink.default = Reply(status=500)
    deliver(source)  # retrying, in another issue
    issue = issues_of(operator, kind="http_4xx")[0]

    answer = operator.post(f"/api/issues/{issue['id']}/replay/").json()

    assert (answer["queued"], answer["matched"], answer["capped"]) == (2, 2, False)
    statuses = sorted(Outcome.objects.values_list("status", flat=True))
    assert statuses == [OutcomeStatus.PENDING, OutcomeStatus.PENDING, OutcomeStatus.RETRYING]


def test_a_viewer_reads_issues_but_may_not_resolve_them(sink, django_user_model):
    source = make_source()
    make_route(source, make_destination(sink.url))
    sink.default = Reply(status=500)
    deliver(source)
    person = django_user_model.objects.create_user("vera")
    set_role(person, Role.VIEWER)
    viewer = APIClient()
    viewer.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person).key}")
    [issue] = issues_of(viewer)

    assert_error(viewer.post(f"/api/issues/{issue['id']}/resolve/"), 403, "permission_denied")
    assert issues_of(viewer)[0]["status"] == "open"


def test_a_redirect_not_followed_is_an_issue_of_kind_other_and_its_error_keeps_no_credential(
    sink, operator
):
    source = make_source()
    make_route(source, make_destination(sink.url, name="Moved"))
    sink.default = Reply(status=302, headers={"Location": "/elsewhere?token=s3cr3t-t0ken"})

    deliver(source)

    [issue] = issues_of(operator)
    assert (issue["kind"], issue["last_status_code"]) == ("other", 302)
    assert (
        issue["last_error"] == f"redirect to {sink.url.replace('/hook', '/elsewhere')} not followed"
    )
