"""The request as sent, in real headless Chromium: a signed webhook goes in over HTTP, a
real Celery worker signs and sends it to a real local server that refuses it (400, so it
dead-letters at once), an operator replays it through the API and it is delivered; then
frontend/e2e/05-request-as-sent.spec.ts opens the event page and checks what a user
sees: each attempt's request beside its response, the signature and the auth header
masked, a divider naming who replayed, attempt counts that agree, the badge "Delivered".
"""

from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from apps.core.models import Outcome, OutcomeStatus
from apps.core.standard_webhooks import generate_secret
from tests.e2e.browser import FRONTEND, HAVE_BROWSER, run_playwright
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
GITHUB = GitHub("gh-sent", "e2e-request-secret")
AUTH_TOKEN = "e2e-bearer-7c0ffee-token"


def outcome_in(status: str) -> Outcome | None:
    return Outcome.objects.filter(status=status).first()


@pytest.mark.timeout(300)
def test_the_event_page_shows_the_request_as_sent_with_the_signature_masked(
    client, web_server, worker, sink, django_user_model
):
    assert (FRONTEND / "dist" / "index.html").exists(), "build the dashboard first (make frontend)"
    django_user_model.objects.create_superuser("e2e-admin", "", "e2e-password-1")
    operator = django_user_model.objects.create_user("ops-olga")
    set_role(operator, Role.OPERATOR)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(operator).key}")
    source = GITHUB.source()
    destination = make_destination(
        sink.url,
        auth_header=f"Authorization: Bearer {AUTH_TOKEN}",
        signing_secret=generate_secret(),
    )
    make_route(source, destination)
    sink.default = Reply(status=400, body=b'{"error": "not yet"}')

    event_id = GITHUB.send(client, {"ref": "refs/heads/main", "n": 1})
    dead = wait_until(lambda: outcome_in(OutcomeStatus.DEAD_LETTERED), message="no dead letter")
    sink.default = Reply(status=200)
    assert api.post(f"/api/outcomes/{dead.pk}/replay/").json() == {"queued": 1}
    wait_until(lambda: outcome_in(OutcomeStatus.DELIVERED), message="the replay was not delivered")
    signatures = [r.headers["webhook-signature"].removeprefix("v1,") for r in sink.requests]

    env = {
        "E2E_USERNAME": "e2e-admin",
        "E2E_PASSWORD": "e2e-password-1",
        "E2E_SINK_URL": sink.url,
        "E2E_SINK_CONTROL_URL": sink.control_url,
        "E2E_REQUEST_EVENT_ID": str(event_id),
        "E2E_REQUEST_REPLAYED_BY": "ops-olga",
        "E2E_REQUEST_SECRETS": ",".join([AUTH_TOKEN, *signatures]),
    }
    result = run_playwright(
        "desktop", web_server, env, timeout=240, specs=["e2e/05-request-as-sent.spec.ts"]
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    assert "1 passed" in result.stdout, result.stdout[-2000:]  # it ran, it did not skip
