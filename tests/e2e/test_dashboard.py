"""The dashboard in real headless Chromium (Playwright), against the real stack.

gunicorn serves the built dashboard and the API on the test database, a Celery worker
delivers to a local HTTP server the browser test can make fail and recover, and the
Playwright suite in frontend/e2e drives it all: log in, configure, send a signed
webhook, watch it deliver, dead-letter, replay; a webhook notification channel whose
test notification reaches the sink; a viewer who is offered no write action; and the
login lockout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from apps.api.roles import Role, set_role

ROOT = Path(__file__).resolve().parent.parent.parent
FRONTEND = ROOT / "frontend"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_BROWSER = Path(CHROMIUM).exists() and (FRONTEND / "node_modules").exists()

pytestmark = [
    pytest.mark.e2e,
    # On a developer machine without Chromium this is skipped; CI installs it, and
    # there a missing browser fails the run instead.
    pytest.mark.skipif(
        not HAVE_BROWSER and not os.environ.get("CI"),
        reason="needs Debian's chromium and `npm ci` in frontend/ (CI installs both)",
    ),
]


def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots is refreshed only when asked, so a test run leaves the tree clean."""
    if os.environ.get("RELAYCORE_UPDATE_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return tmp_path / "screenshots"


# The Playwright run has its own limit (timeout=900 below); the suite's 120 s default
# would cut it, or the worker's teardown after it, short.
@pytest.mark.timeout(900)
def test_the_dashboard_works_end_to_end_in_chromium(
    web_server, worker, sink, django_user_model, tmp_path
):
    assert (FRONTEND / "dist" / "index.html").exists(), "build the dashboard first (make test)"
    django_user_model.objects.create_superuser("e2e-admin", "", "e2e-password-1")
    viewer = django_user_model.objects.create_user("e2e-viewer", "", "e2e-password-2")
    set_role(viewer, Role.VIEWER)
    env = {
        **os.environ,
        "CI": "1",
        "CHROMIUM_PATH": CHROMIUM,
        "E2E_BASE_URL": web_server,
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
    result = subprocess.run(
        ["npx", "playwright", "test", *specs],
        cwd=FRONTEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
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
