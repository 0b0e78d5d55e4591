"""`make run` as a user runs it, in a terminal (a pseudo-terminal here): a real
supervisor (scripts/run.py) with the bundled Redis, gunicorn and a Celery worker with
Beat in a thread of it, on a temporary var dir and ports.

While idle it writes nothing routine at INFO; a refused webhook is one structured line;
on Ctrl-C (the terminal's ^C, not a signal sent to one process) it stops the worker
(warm shutdown) before Redis, and `make` exits 0 without reporting an interrupt.
"""

from __future__ import annotations

import fcntl
import os
import pty
import socket
import subprocess
import termios
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
# A whole stack starts (and migrates a new SQLite file) per test: slow on a loaded machine.
# It is the embedded stack whatever the run's profile (Run drops DATABASE_URL/REDIS_URL).
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300), pytest.mark.profile_independent]
IDLE_SECONDS = 12
ROUTINE = ("Sending due task", "succeeded in", "] received", "AXES: BEGIN")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Run:
    """`make run` in a subprocess on a pseudo-terminal; its output collected line by line."""

    def __init__(self, var_dir: Path, **settings: str) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            RELAYCORE_VAR_DIR=str(var_dir),
            EMBEDDED_REDIS_PORT=str(free_port()),
            PORT=str(self.port),
            STREAM_PORT=str(free_port()),
            PYTHONUNBUFFERED="1",
            **settings,
        )
        self.env = env
        # make in a terminal of its own, as a shell would start it: the session leader,
        # with the terminal's foreground group its own, so that ^C goes where it would.
        self.terminal, child_end = pty.openpty()
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdin=child_end,
            stdout=child_end,
            stderr=child_end,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(child_end)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(self.terminal, 4096)
            except OSError:  # EIO: every process holding the terminal is gone
                break
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            self.lines += [line.decode(errors="replace").rstrip("\r") for line in complete]
        if pending:
            self.lines.append(pending.decode(errors="replace"))

    def interrupt(self) -> None:
        """^C typed in the terminal."""
        os.write(self.terminal, b"\x03")

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
            self.interrupt()
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.reader.join(timeout=5)


@pytest.fixture
def run(tmp_path):
    # The stream process is started too (by default only with DATABASE_URL), so that its
    # place in the ordered stop is checked as well.
    started = Run(tmp_path / "var", RUN_STREAM="true")
    yield started
    started.stop()


def test_make_run_is_quiet_when_idle_and_stops_redis_last_with_exit_code_0(run):
    run.wait_for("ready.")  # the worker's "celery@host ready."
    run.wait_for("beat: Starting")  # in the worker
    run.wait_for("Listening at")  # gunicorn
    run.wait_for("Uvicorn running on")  # the stream process
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

    run.interrupt()
    assert run.proc.wait(timeout=90) == 0
    run.reader.join(timeout=5)
    assert [line for line in run.lines if line.startswith("make:")] == []  # no "Interrupt"

    worker_stopped = run.index("worker stopped")
    assert worker_stopped < run.index("sending SIGTERM to redis")
    assert run.index("Warm shutdown") < run.index("beat: Shutting down") < worker_stopped
    assert worker_stopped < run.index("redis stopped")
    assert run.index("web stopped") < run.index("redis stopped")
    assert run.index("stream stopped") < run.index("redis stopped")


class Destination(BaseHTTPRequestHandler):
    """A real destination: records the event id of every delivery it is sent."""

    received: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Destination.received.append(self.headers.get("X-RelayCore-Event-Id", ""))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


# An event stored but never queued (as if the web process died between its commit and
# its publish), routed to the destination: only Beat's sweep of unrouted events can
# find it, so its delivery shows that Beat runs its periodic tasks inside the worker.
UNQUEUED_EVENT = """
from apps.core.models import Destination, Event, EventStatus, Route, Source
source = Source.objects.create(name="swept", slug="swept", verification_scheme="none")
destination = Destination.objects.create(name="here", url="{url}", timeout_seconds=5)
Route.objects.create(name="r", source=source, destination=destination, transformer="passthrough")
print("EVENT", Event.objects.create(source=source, body=b"{{}}", status=EventStatus.RECEIVED).pk)
"""


def test_beat_runs_in_the_worker_its_sweep_delivers_an_event_nobody_queued(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Destination)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    run = Run(
        tmp_path / "var",
        SWEEP_AFTER_SECONDS="0",
        DISPATCH_INTERVAL_SECONDS="0.5",
        DESTINATION_ALLOWED_NETWORKS="127.0.0.0/8",
    )
    try:
        run.wait_for("ready.")
        url = f"http://127.0.0.1:{server.server_port}/hook"
        made = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c",
             UNQUEUED_EVENT.format(url=url)],
            cwd=ROOT, env=run.env, capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        event_id = made.stdout.split("EVENT")[-1].strip()
        deadline = time.monotonic() + 60
        while event_id not in Destination.received and time.monotonic() < deadline:
            time.sleep(0.2)
        assert event_id in Destination.received, "\n".join(run.lines[-40:])
        assert not [line for line in run.lines if "beat stopped" in line]  # no such process
        # The embedded profile's default: no stream process (listeners long-poll).
        assert not [line for line in run.lines if "Uvicorn running on" in line]
    finally:
        run.stop()
        server.shutdown()
