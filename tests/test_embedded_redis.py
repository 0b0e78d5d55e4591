"""A test run stops the embedded Redis it started, and only that one.

Each test runs a small pytest session of its own in a subprocess, on the embedded
profile, a free port and a var directory of its own, and looks at the port afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from relaycore import embedded

ROOT = Path(__file__).resolve().parent.parent
# A test that needs Redis (through the autouse fixtures) but no database.
INNER_TEST = "tests/core/test_redis_client.py"
# Its sessions are on the embedded profile whatever this run's is.
pytestmark = pytest.mark.profile_independent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_a_test_session(port: int, var_dir: Path) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL"} and not name.startswith("PYTEST_")
    }
    env.update(EMBEDDED_REDIS_PORT=str(port), RELAYCORE_VAR_DIR=str(var_dir))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", INNER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def port():
    port = free_port()
    yield port
    embedded.stop(port)  # whatever a failed assertion left behind


def test_a_run_stops_the_embedded_redis_it_started(port, tmp_path):
    log = tmp_path / "redis" / "redis.log"

    finished = run_a_test_session(port, tmp_path)

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Ready to accept connections" in log.read_text()  # it did run for the session
    assert not embedded.is_up(port)


def test_a_run_leaves_a_redis_that_was_already_running(port, tmp_path):
    embedded.start(tmp_path / "ours", port, daemonize=True)

    finished = run_a_test_session(port, tmp_path / "run")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert embedded.is_up(port)
