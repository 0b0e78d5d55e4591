"""Secure cookies (on whenever DEBUG is off) still let Chromium log in to the embedded
dashboard's plain http://127.0.0.1: browsers treat loopback as a secure context."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.browser import CHROMIUM, FRONTEND, needs_browser

pytestmark = [pytest.mark.e2e, needs_browser]

SCRIPT = """
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage();
  await page.goto(process.env.BASE_URL + "/api/auth/csrf/");
  const answers = await page.evaluate(async ([username, password]) => {
    const csrf = (await (await fetch("/api/auth/csrf/")).json()).csrf_token;
    const login = await fetch("/api/auth/login/", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ username, password }),
    });
    const me = await fetch("/api/auth/me/");
    return { login: login.status, me: me.status, username: (await me.json()).username };
  }, [process.env.E2E_USERNAME, process.env.E2E_PASSWORD]);
  const cookies = (await page.context().cookies()).map((c) => [c.name, c.secure]);
  console.log(JSON.stringify({ ...answers, cookies }));
  await browser.close();
})();
"""


@pytest.mark.django_db(transaction=True, reset_sequences=True)  # see tests/e2e worker
def test_chromium_logs_in_over_http_on_127_0_0_1_with_secure_cookies(
    web_server, django_user_model, tmp_path: Path
):
    django_user_model.objects.create_superuser("cookie-admin", "", "cookie-password-1")
    script = tmp_path / "login.cjs"
    script.write_text(SCRIPT)
    env = {
        **os.environ,
        "PLAYWRIGHT_CORE": str(FRONTEND / "node_modules" / "playwright-core"),
        "CHROMIUM_PATH": CHROMIUM,
        "BASE_URL": web_server,
        "E2E_USERNAME": "cookie-admin",
        "E2E_PASSWORD": "cookie-password-1",
    }

    result = subprocess.run(
        ["node", str(script)], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert (seen["login"], seen["me"], seen["username"]) == (200, 200, "cookie-admin")
    assert sorted(seen["cookies"]) == [["csrftoken", True], ["sessionid", True]]
