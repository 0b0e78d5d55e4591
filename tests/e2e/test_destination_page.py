"""A destination's dashboard page in real headless Chromium, against the real stack.

The real worker delivers one event to the local sink and dead-letters another (the sink
answers 500 to it, DELIVERY_MAX_ATTEMPTS times); then the sink recovers, and the browser
(frontend/e2e/05-destination-page.spec.ts) opens the destination's page, reads both
events, the figures and the errors, and replays the dead letter, which reaches the sink.
"""

from __future__ import annotations

import os

import pytest

from apps.api.roles import Role, set_role
from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.browser import FRONTEND, HAVE_BROWSER, run_playwright, screenshot_dir
from tests.e2e.conftest import GitHub, wait_until
from tests.factories import make_destination, make_route
from tests.sink import Reply

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not HAVE_BROWSER and not os.environ.get("CI"),
        reason="needs Debian's chromium and `npm ci` in frontend/ (CI installs both)",
    ),
]
GITHUB = GitHub("gh-destination-page", "e2e-destination-page")


def send(client, n: int) -> int:
    return GITHUB.send(client, {"n": n}, f"destination-page-{n}")


def outcome_of(event_id: int) -> Outcome | None:
    return Outcome.objects.filter(event_id=event_id).first()


def reaches(event_id: int, status: str, timeout: float = 60) -> None:
    wait_until(
        lambda: (found := outcome_of(event_id)) is not None and found.status == status,
        timeout=timeout,
        message=f"event {event_id} is {outcome_of(event_id)!r}, not {status}",
    )


@pytest.mark.timeout(600)
def test_the_destination_page_shows_its_deliveries_and_replays_its_dead_letter(
    web_server, worker, sink, client, django_user_model, tmp_path
):
    assert (FRONTEND / "dist" / "index.html").exists(), "build the dashboard first (make test)"
    source = GITHUB.source()
    destination = make_destination(sink.url, name="Orders API")
    make_route(source, destination)
    operator = django_user_model.objects.create_user("e2e-operator", "", "e2e-password-3")
    set_role(operator, Role.OPERATOR)

    delivered = send(client, 1)
    reaches(delivered, OutcomeStatus.DELIVERED)
    sink.default = Reply(status=500)
    dead = send(client, 2)
    reaches(dead, OutcomeStatus.DEAD_LETTERED)
    sink.default = Reply(status=200)
    arrived_before = len(sink.requests)

    env = {
        "E2E_USERNAME": "e2e-operator",
        "E2E_PASSWORD": "e2e-password-3",
        "E2E_SINK_URL": sink.url,
        "E2E_SINK_CONTROL_URL": sink.control_url,
        "E2E_DESTINATION_NAME": destination.name,
        "E2E_DELIVERED_EVENT": str(delivered),
        "E2E_DEAD_LETTERED_EVENT": str(dead),
        "E2E_SCREENSHOT_DIR": str(screenshot_dir(tmp_path)),
    }
    result = run_playwright(
        "desktop", web_server, env, timeout=500, specs=["e2e/05-destination-page.spec.ts"]
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    assert "1 passed" in result.stdout, result.stdout[-2000:]

    # The replayed dead letter reached the sink, and its outcome is delivered.
    reaches(dead, OutcomeStatus.DELIVERED)
    again = [r for r in sink.requests[arrived_before:] if r.json().get("n") == 2]
    assert len(again) == 1
    assert outcome_of(delivered).total_attempts == 1
