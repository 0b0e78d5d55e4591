"""The dashboard's API types are generated from the API's schema, never drift from it.

frontend/src/types/api.gen.ts is openapi-typescript's output for the schema that
drf-spectacular writes (`npm run gen:api` in frontend/). This test regenerates it into a
temporary file the same way and compares: a serializer changed without regenerating the
types fails here, so the dashboard's build always checks against the API that runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FRONTEND = ROOT / "frontend"
GENERATED = FRONTEND / "src" / "types" / "api.gen.ts"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    # `make test` installs frontend/node_modules first; CI fails rather than skips.
    (NODE is None or not GENERATOR.exists()) and not os.environ.get("CI"),
    reason="needs node and `npm ci` in frontend/",
)


def test_the_dashboards_generated_api_types_match_the_schema(tmp_path):
    fresh = tmp_path / "api.gen.ts"
    run = subprocess.run(
        [NODE or "node", "scripts/gen-api.mjs", "--out", str(fresh)],
        cwd=FRONTEND,
        env={**os.environ, "RELAYCORE_PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr

    assert fresh.read_text() == GENERATED.read_text(), (
        "frontend/src/types/api.gen.ts is stale: run `npm run gen:api` in frontend/"
    )
