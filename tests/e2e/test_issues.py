"""Issues end to end: webhooks in over HTTP, a real Celery worker delivering to a local
server that fails, the issue read and replayed through the API, then the Issues page in
real Chromium (frontend/e2e/05-issues.spec.ts) showing it and replaying it."""

from __future__ import annotations

import json
import os

import pytest
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from apps.core.models import Issue, Outcome, OutcomeStatus
from tests.e2e.browser import FRONTEND, HAVE_BROWSER, run_playwright, screenshot_dir
from tests.e2e.conftest import GitHub, wait_until
from tests.factories import make_destination, make_route
from tests.sink import Reply

pytestmark = pytest.mark.e2e
GITHUB = GitHub("gh-issues", "e2e-issues-secret")


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
    GITHUB.send(client, {"n": n}, f"issue-delivery-{n}")


def dead_letters(count: int) -> None:
    wait_until(
        lambda: Outcome.objects.filter(status=OutcomeStatus.DEAD_LETTERED).count() == count,
        timeout=30,
        message=f"expected {count} dead letters",
    )


def test_replaying_an_issue_sends_its_dead_letters_to_the_destination_again(
    client, github, operator, sink
):
    sink.default = Reply(status=422)  # permanent: each event is dead-lettered at once
    make_route(github, make_destination(sink.url, name="Strict"))
    for n in range(3):
        send(client, n)
    dead_letters(3)
    [issue] = operator.get("/api/issues/").json()["results"]
    assert (issue["kind"], issue["count"], issue["status"]) == ("http_4xx", 3, "open")

    sink.default = Reply(status=200)
    answer = operator.post(f"/api/issues/{issue['id']}/replay/").json()

    assert answer["queued"] == 3
    wait_until(
        lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == 3,
        timeout=30,
        message="the replayed dead letters were not delivered",
    )
    sent = sorted(json.loads(request.body)["n"] for request in sink.requests)
    assert sent == [0, 0, 1, 1, 2, 2]  # each once refused, once replayed
    assert operator.get(f"/api/issues/{issue['id']}/").json()["count"] == 3  # no new failure


@pytest.mark.timeout(600)
@pytest.mark.skipif(not HAVE_BROWSER and not os.environ.get("CI"), reason="needs chromium")
def test_the_issues_page_shows_an_issue_and_replays_it_in_chromium(
    client, github, web_server, worker, sink, django_user_model, tmp_path
):
    assert (FRONTEND / "dist" / "index.html").exists(), "build the dashboard first (make frontend)"
    django_user_model.objects.create_superuser("e2e-issues", "", "e2e-password-9")
    sink.default = Reply(status=400)  # permanent: dead-lettered at once
    make_route(github, make_destination(sink.url, name="Broken ledger"))
    for n in range(2):
        send(client, n)
    dead_letters(2)

    env = {
        "E2E_USERNAME": "e2e-issues",
        "E2E_PASSWORD": "e2e-password-9",
        "E2E_SINK_URL": sink.url,
        "E2E_SINK_CONTROL_URL": sink.control_url,
        "E2E_ISSUE_DESTINATION": "Broken ledger",
        "E2E_SCREENSHOT_DIR": str(screenshot_dir(tmp_path)),
    }
    result = run_playwright(
        "desktop", web_server, env, timeout=500, specs=["e2e/05-issues.spec.ts"]
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    # The page's replay sent both dead letters again, and the sink (set to 200) took them.
    wait_until(
        lambda: Outcome.objects.filter(status=OutcomeStatus.DELIVERED).count() == 2,
        timeout=30,
        message="the dead letters replayed from the page were not delivered",
    )
    assert len(sink.requests) == 4
    assert Issue.objects.get().status == "resolved"
