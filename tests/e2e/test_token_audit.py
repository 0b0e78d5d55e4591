"""API tokens in the audit log, in real headless Chromium against gunicorn: an admin
makes and revokes a token on the tokens page and reads both entries on the audit log
page (frontend/e2e/03b-token-audit.spec.ts, also part of the full dashboard run); the
stored entries then name that admin and hold no key material."""

from __future__ import annotations

import json
import os

import pytest
from auditlog.models import LogEntry

from apps.api.models import ApiToken
from tests.e2e.browser import FRONTEND, HAVE_BROWSER, run_playwright

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not HAVE_BROWSER and not os.environ.get("CI"),
        reason="needs Debian's chromium and `npm ci` in frontend/ (CI installs both)",
    ),
]


@pytest.mark.timeout(300)
def test_an_admin_sees_the_token_they_made_and_revoked_in_the_audit_log(
    fresh_web_server, django_db_reset_sequences, django_user_model
):
    assert (FRONTEND / "dist" / "index.html").exists(), "build the dashboard first (make test)"
    admin = django_user_model.objects.create_superuser("audit-admin", "", "audit-password-1")
    env = {
        "E2E_USERNAME": "audit-admin",
        "E2E_PASSWORD": "audit-password-1",
    }
    result = run_playwright(
        "desktop", fresh_web_server, env, timeout=280, specs=["e2e/03b-token-audit.spec.ts"]
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]

    [token] = ApiToken.objects.filter(user=admin)
    entries = LogEntry.objects.filter(object_pk=str(token.pk), content_type__model="apitoken")
    assert sorted(entries.values_list("action", flat=True)) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert {entry.actor for entry in entries} == {admin}
    stored = json.dumps(list(entries.values()), default=str)
    assert token.digest not in stored and token.prefix not in stored
