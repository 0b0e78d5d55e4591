"""`make run` (scripts/run.py) as a user runs it: a real supervisor with the bundled
Redis, gunicorn, a Celery worker and Beat on a temporary var dir and ports.

While idle it writes nothing routine at INFO; a refused webhook is one structured line;
on Ctrl-C it stops the worker (warm shutdown) before Redis and exits 0.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
IDLE_SECONDS = 12
ROUTINE = ("Sending due task", "succeeded in", "] received", "AXES: BEGIN")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Run:
    """scripts/run.py in a subprocess; its output collected line by line."""

    def __init__(self, var_dir: Path) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            RELAYCORE_VAR_DIR=str(var_dir),
            EMBEDDED_REDIS_PORT=str(free_port()),
            PORT=str(self.port),
            PYTHONUNBUFFERED="1",
        )
        self.proc = subprocess.Popen(
            [sys.executable, "scripts/run.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.proc.poll() is None, "\n".join(self.lines[-40:])
            assert time.monotonic() < deadline, f"no {text!r}:\n" + "\n".join(self.lines[-40:])
            time.sleep(0.2)

    def index(self, text: str) -> int:
        return next(i for i, line in enumerate(self.lines) if text in line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.reader.join(timeout=5)


@pytest.fixture
def run(tmp_path):
    started = Run(tmp_path / "var")
    yield started
    started.stop()


def test_make_run_is_quiet_when_idle_and_stops_redis_last_with_exit_code_0(run):
    run.wait_for("ready.")  # the worker's "celery@host ready."
    run.wait_for("beat: Starting")
    run.wait_for("Listening at")  # gunicorn
    refused = httpx.post(f"http://127.0.0.1:{run.port}/webhooks/receive/nosuch/", json={})
    assert refused.status_code == 404

    idle_from = len(run.lines)
    time.sleep(IDLE_SECONDS)  # Beat's dispatcher and sweeper tick every 0.5 s here
    idle = run.lines[idle_from:]

    assert [line for line in idle if any(text in line for text in ROUTINE)] == []
    assert len(idle) < 5, "\n".join(idle)
    assert not [line for line in run.lines if "AXES: BEGIN" in line]
    assert [line for line in run.lines if "django.request" in line] == []
    [refusal] = [line for line in run.lines if "ingest.refused" in line]
    assert "INFO" in refusal and "status=404" in refusal and "source=nosuch" in refusal

    run.proc.send_signal(signal.SIGINT)
    assert run.proc.wait(timeout=90) == 0
    run.reader.join(timeout=5)

    worker_stopped = run.index("worker stopped")
    assert worker_stopped < run.index("sending SIGTERM to redis")
    assert run.index("Warm shutdown") < worker_stopped
    assert worker_stopped < run.index("redis stopped")
    assert run.index("beat stopped") < run.index("redis stopped")
    assert run.index("web stopped") < run.index("redis stopped")
