"""The dashboard in real headless Chromium (Playwright), against the real stack.

gunicorn serves the built dashboard and the API on the test database, a Celery worker
delivers to a local HTTP server the browser test can make fail and recover, and the
Playwright suite in frontend/e2e (its desktop project) drives it all: log in,
configure, send a signed webhook, watch it deliver, dead-letter, replay; a webhook
notification channel whose test notification reaches the sink; a viewer who is offered
no write action; and the login lockout. The phone layout: test_mobile_layout.py.
"""

from __future__ import annotations

import json
import os

import pytest

from apps.api.roles import Role, set_role
from tests.e2e.browser import needs_browser, run_playwright, screenshot_dir

# The browser proves the dashboard; what its clicks reach (delivery, dead letter, replay,
# roles, lockout, notifications) is proved on both profiles by tests/api, tests/e2e's
# pipeline tests, tests/security and tests/notifications: .ci/run drives it once, on
# PostgreSQL + Redis.
pytestmark = [pytest.mark.e2e, needs_browser, pytest.mark.profile_independent]


# The Playwright run has its own limit (timeout=900 below); the suite's 120 s default
# would cut it, or the worker's teardown after it, short.
@pytest.mark.timeout(900)
def test_the_dashboard_works_end_to_end_in_chromium(
    web_server, worker, sink, django_user_model, tmp_path
):
    django_user_model.objects.create_superuser("e2e-admin", "", "e2e-password-1")
    viewer = django_user_model.objects.create_user("e2e-viewer", "", "e2e-password-2")
    set_role(viewer, Role.VIEWER)
    env = {
        "E2E_USERNAME": "e2e-admin",
        "E2E_PASSWORD": "e2e-password-1",
        "E2E_VIEWER_USERNAME": "e2e-viewer",
        "E2E_VIEWER_PASSWORD": "e2e-password-2",
        "E2E_SINK_URL": sink.url,
        "E2E_SINK_CONTROL_URL": sink.control_url,
        "E2E_DEAD_LETTER_TIMEOUT_MS": "60000",
        "E2E_SCREENSHOT_DIR": str(screenshot_dir(tmp_path)),
    }
    # E2E_SPECS (space-separated spec files) runs only those, e.g. while working on one.
    specs = os.environ.get("E2E_SPECS", "").split()
    result = run_playwright("desktop", web_server, env, timeout=900, specs=specs)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    # The test notification sent from the channels page reached the sink, signed.
    if specs and not any("notifications" in spec for spec in specs):
        return
    notices = [r for r in sink.requests if notification_type(r.body) == "test"]
    assert notices, "the sink received no test notification"
    assert notices[0].headers.get("webhook-signature", "").startswith("v1,")


def notification_type(body: bytes) -> str | None:
    """The `type` of a notification body; None for anything else the sink received."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed.get("type") if isinstance(parsed, dict) else None
