"""Pause and resume end to end: HTTP in, a real Celery worker (with Beat's dispatcher),
HTTP out to a real local server; the pause and the resume through the API."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.conftest import GitHub, wait_until
from tests.factories import make_destination, make_route
from tests.sink import Reply

pytestmark = pytest.mark.e2e
GITHUB = GitHub("gh-pause", "e2e-pause-secret")


@pytest.fixture
def operator(worker, django_user_model) -> APIClient:
    person = django_user_model.objects.create_user("operator")
    set_role(person, Role.OPERATOR)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person).key}")
    return client


@pytest.fixture
def github(worker):
    return GITHUB.source()


def send(client, n: int) -> None:
    GITHUB.send(client, {"n": n}, f"delivery-{n}")


def counts() -> dict[str, int]:
    found: dict[str, int] = {}
    for status in Outcome.objects.values_list("status", flat=True):
        found[status] = found.get(status, 0) + 1
    return found


def reach(expected: dict[str, int], timeout: float = 30.0) -> None:
    """Wait until the outcomes' counts are these; else fail showing what they are."""
    try:
        wait_until(lambda: counts() == expected, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"outcomes are {counts()}, not {expected}") from None


def settled(total: int) -> dict[str, int] | None:
    """The counts once every event has an outcome and none is on its way."""
    now = counts()
    done = now.get(OutcomeStatus.DELIVERED, 0) + now.get(OutcomeStatus.HELD, 0)
    return now if done == total else None


def test_a_destination_paused_under_load_holds_every_event_and_resume_sends_each_once(
    client, github, operator, sink
):
    destination = make_destination(sink.url)
    make_route(github, destination)
    total = 60

    for n in range(total):
        if n == 20:  # deliveries are flowing: pause in the middle of them
            assert operator.post(f"/api/destinations/{destination.pk}/pause/").status_code == 200
        send(client, n)

    during = wait_until(lambda: settled(total), timeout=40, message="never settled")
    sent_while_paused = len(sink.requests)
    time.sleep(2.0)  # four dispatcher beats: a held outcome is never sent
    assert len(sink.requests) == sent_while_paused == during.get(OutcomeStatus.DELIVERED, 0)
    assert during[OutcomeStatus.HELD] >= total - 20
    assert not Outcome.objects.filter(attempts__isnull=False, status="held").exists()

    resumed = operator.post(f"/api/destinations/{destination.pk}/resume/").json()
    assert resumed["released"] == during[OutcomeStatus.HELD]

    reach({OutcomeStatus.DELIVERED: total})
    numbers = sorted(request.json()["n"] for request in sink.requests)
    assert numbers == list(range(total))  # every one, exactly once


def test_a_paused_source_stores_and_sends_nothing_until_it_resumes(client, github, operator, sink):
    make_route(github, make_destination(sink.url))
    operator.post(f"/api/sources/{github.pk}/pause/")

    for n in range(5):
        send(client, n)  # accepted and stored: 200

    reach({OutcomeStatus.HELD: 5})
    time.sleep(1.0)
    assert sink.requests == []

    assert operator.post(f"/api/sources/{github.pk}/resume/").json()["released"] == 5
    reach({OutcomeStatus.DELIVERED: 5})
    assert sorted(request.json()["n"] for request in sink.requests) == list(range(5))


def test_a_worker_killed_while_resuming_loses_nothing(client, github, operator, sink, worker):
    sink.default = Reply(delay=0.5)  # slow: the kill finds deliveries in flight
    destination = make_destination(sink.url, timeout_seconds=2)
    make_route(github, destination)
    operator.post(f"/api/destinations/{destination.pk}/pause/")
    total = 30
    for n in range(total):
        send(client, n)
    reach({OutcomeStatus.HELD: total})

    operator.post(f"/api/destinations/{destination.pk}/resume/")
    sink.wait_for(3, timeout=40)
    worker.kill()
    sink.default = Reply()
    worker.start()

    # Outcomes the killed worker held come back when their lease (2 s + 1 s) runs out.
    reach({OutcomeStatus.DELIVERED: total}, timeout=90)
    # At least once: a request in flight at the kill may have been sent again.
    assert {request.json()["n"] for request in sink.requests} == set(range(total))
