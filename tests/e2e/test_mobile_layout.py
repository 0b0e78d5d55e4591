"""The dashboard on a phone: every page at 390x844 in real headless Chromium.

Configuration goes in through the API as an admin's script would (so the audit log has
entries with an actor), two signed GitHub pushes go in through the ingest URL, and the
real worker delivers one to the local sink and dead-letters the other (the sink answers
it 410). Then the Playwright `mobile` project (frontend/e2e/05-phone.mobile.spec.ts)
walks every page through the menu button and checks that no page scrolls sideways and
that the row actions and the deliveries' Outcomes column are on screen.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.api.tokens import issue_token
from apps.core.models import Outcome, OutcomeStatus
from tests.e2e.browser import needs_browser, run_playwright, screenshot_dir
from tests.e2e.conftest import GitHub, wait_until
from tests.sink import Reply

# A layout check (nothing scrolls sideways at 390 px): the same on every profile.
pytestmark = [pytest.mark.e2e, needs_browser, pytest.mark.profile_independent]

SECRET = "mobile-layout-secret"
GITHUB = GitHub("github-acme-storefront", SECRET)
SOURCE = "GitHub acme/storefront"
CODE = "function transform(event) {\n  return { body: { text: `push to ${event.body.ref}` } };\n}\n"


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


def configure(api: APIClient, sink_url: str) -> None:
    """A source, destination, transformation, route and channel, through the API."""
    source = created(
        api.post(
            "/api/sources/",
            {
                "name": SOURCE,
                "slug": "github-acme-storefront",
                "verification_scheme": "github",
                "secret": SECRET,
            },
            format="json",
        )
    )
    destination = created(
        api.post(
            "/api/destinations/",
            {"name": "Storefront deploy hook", "url": sink_url},
            format="json",
        )
    )
    transformation = created(
        api.post("/api/transformations/", {"name": "Push summary", "code": CODE}, format="json")
    )
    created(
        api.post(
            "/api/routes/",
            {
                "name": "Pushes to main to deploy",
                "source": source["id"],
                "destination": destination["id"],
                "event_types": ["push"],
                "transformer": "",
                "transformation": transformation["id"],
            },
            format="json",
        )
    )
    channel = created(
        api.post(
            "/api/notification-channels/",
            {"name": "On-call webhook", "kind": "webhook", "url": sink_url, "types": []},
            format="json",
        )
    )
    sent = api.post(f"/api/notification-channels/{channel['id']}/test/", format="json")
    assert sent.status_code == 200, sent.content


def push(client, n: int) -> None:
    GITHUB.send(client, {"ref": "refs/heads/main", "after": f"c0ffee{n}"}, f"mobile-{n}")


def outcome_statuses() -> list[str]:
    return sorted(Outcome.objects.values_list("status", flat=True))


@pytest.mark.timeout(600)
def test_it_fits_every_page_of_the_dashboard_on_a_390_px_phone(
    web_server, worker, sink, client, django_user_model, tmp_path
):
    admin = django_user_model.objects.create_superuser("phone-admin", "", "phone-password-1")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(admin, name='deploy script').key}")
    configure(api, sink.url)
    # The channel's test notice was answered with the default 200; now the two events.
    sink.respond(Reply(status=200), Reply(status=410, body=b'{"error": "gone"}'))
    push(client, 1)
    wait_until(lambda: outcome_statuses() == [OutcomeStatus.DELIVERED], timeout=30)
    push(client, 2)
    expected = sorted([OutcomeStatus.DELIVERED, OutcomeStatus.DEAD_LETTERED])
    wait_until(lambda: outcome_statuses() == expected, timeout=30, message=str(outcome_statuses()))

    env = {
        "E2E_USERNAME": "phone-admin",
        "E2E_PASSWORD": "phone-password-1",
        "E2E_SOURCE_NAME": SOURCE,
        "E2E_SINK_URL": sink.url,
        "E2E_SINK_CONTROL_URL": sink.control_url,
        "E2E_SCREENSHOT_DIR": str(screenshot_dir(tmp_path)),
    }
    result = run_playwright("mobile", web_server, env, timeout=540)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
