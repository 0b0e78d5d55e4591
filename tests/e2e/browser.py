"""Running the Playwright suite (frontend/e2e) in Debian's Chromium from a pytest test.

The suite has two projects (frontend/playwright.config.ts): `desktop` (1280x800, the
delivery flow and most specs) and `mobile` (390x844, the phone layout). Each pytest test
runs one of them against the gunicorn of the `web_server` fixture and gets the output
back to show when it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FRONTEND = ROOT / "frontend"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_BROWSER = Path(CHROMIUM).exists() and (FRONTEND / "node_modules").exists()

# On a developer machine without Chromium the browser tests are skipped; CI installs it,
# and there a missing browser fails the run instead.
needs_browser = pytest.mark.skipif(
    not HAVE_BROWSER and not os.environ.get("CI"),
    reason="needs Debian's chromium and `npm ci` in frontend/ (CI installs both)",
)


def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots is refreshed only when asked, so a test run leaves the tree clean."""
    if os.environ.get("RELAYCORE_UPDATE_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return tmp_path / "screenshots"


def run_playwright(
    project: str,
    base_url: str,
    env: dict[str, str],
    timeout: int,
    specs: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`npx playwright test --project <project> [specs]` against base_url, with the E2E_*
    env; `specs` (spec files) runs only those."""
    assert (FRONTEND / "dist" / "index.html").exists(), "build the dashboard first (make test)"
    full_env = {
        **os.environ,
        "CI": "1",
        "CHROMIUM_PATH": CHROMIUM,
        "E2E_BASE_URL": base_url,
        **env,
    }
    # Each run writes its traces and failure screenshots to a directory of its own:
    # Playwright empties its output directory when it starts, so two suites side by side
    # (CI runs the PostgreSQL and the embedded pass at once) would delete each other's.
    output = Path(tempfile.mkdtemp(prefix=f"relaycore-playwright-{project}-"))
    result = subprocess.run(
        # Spec files before --project: it takes every value after it as a project name.
        ["npx", "playwright", "test", *(specs or []), "--project", project]
        + ["--output", str(output)],
        cwd=FRONTEND,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode == 0:
        shutil.rmtree(output, ignore_errors=True)
    else:
        result.stdout += f"\n(traces and screenshots of this run: {output})\n"
    return result
