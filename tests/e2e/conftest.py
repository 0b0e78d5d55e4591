"""A real Celery worker (with Beat) in a subprocess, on the test database and Redis.

Events are posted through Django's test client in this process; on commit they are
published to the real broker, and the worker routes and delivers them to a real HTTP
server on 127.0.0.1 (the `sink` fixture).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from apps.core.models import Source
from tests.factories import github_signature, make_source

ROOT = Path(__file__).resolve().parent.parent.parent

WORKER_ENV = {
    "DISPATCH_INTERVAL_SECONDS": "0.5",
    "DISPATCH_GRACE_SECONDS": "1",
    "SWEEP_AFTER_SECONDS": "1",
    "DELIVERY_LEASE_GRACE_SECONDS": "1",
    "METRICS_INTERVAL_SECONDS": "5",  # so the dashboard test has charts to draw
    "WORKER_CONCURRENCY": "16",
    "DESTINATION_BREAKER_THRESHOLD": "0",
    "NOTIFY_INTERVAL_SECONDS": "1",  # Beat evaluates notifications every second
}


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def die_with_parent() -> None:
    """Runs in the child before exec: if the test run dies, so does this service, so an
    aborted run never leaves a worker consuming the next run's queue."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def service_env() -> dict[str, str]:
    """What a subprocess needs to share this test run's database, Redis, keys and queue."""
    env = {**os.environ, **WORKER_ENV}  # CELERY_QUEUE: the run's own, see tests/conftest.py
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY=settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEY=",".join(settings.FIELD_ENCRYPTION_KEYS),
    )
    return env


class Worker:
    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.schedule = Path(tempfile.mkdtemp()) / "beat-schedule"
        self.log = Path(tempfile.mkdtemp()) / "worker.log"

    def env(self) -> dict[str, str]:
        return service_env()

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "relaycore",
            "worker",
            "-B",
            "--scheduler",
            "celery.beat:PersistentScheduler",
            "-s",
            str(self.schedule),
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
                # Its own process group: Beat runs in a child process, killed with it.
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited:\n{self.log.read_text()[-3000:]}")
            if b"ready." in self.log.read_bytes():
                return
            time.sleep(0.1)
        raise RuntimeError(f"worker not ready:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, as when a machine dies."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.write_bytes(self.log.read_bytes().replace(b"ready.", b"(was ready)"))

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(15)
        if self.proc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture(scope="package")
def worker_process(django_db_setup, django_db_blocker):
    """Stopped when the e2e tests end: its Beat (dispatcher, sweeper, notification
    evaluator) would otherwise keep working on the database under later tests."""
    worker = Worker()
    with django_db_blocker.unblock():
        worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def worker(worker_process, django_db_reset_sequences):
    """The running worker, with a clean database and Redis around each test.

    The database is emptied with its sequences restarted: gunicorn (web_server) and the
    worker outlive each test and Django caches content type ids in them, which the
    flush's re-created content types would otherwise renumber (an audit entry written
    with a cached id then broke its foreign key: "conflicts with existing data")."""
    if worker_process.proc.poll() is not None:
        worker_process.start()
    return worker_process


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message or "condition not met in time")


@dataclass(frozen=True)
class GitHub:
    """A GitHub source of a test and the signed webhooks it receives, posted through
    the ingest URL as GitHub posts them."""

    slug: str
    secret: str

    def source(self) -> Source:
        return make_source(slug=self.slug, verification_scheme="github", secret=self.secret)

    def post(self, client, payload: dict, delivery: str | None = None, event: str = "push"):
        """The ingest's response, whatever it is (no X-GitHub-Delivery without `delivery`)."""
        body = json.dumps(payload).encode()
        headers = {
            "HTTP_X_GITHUB_EVENT": event,
            "HTTP_X_HUB_SIGNATURE_256": github_signature(self.secret, body),
        }
        if delivery:
            headers["HTTP_X_GITHUB_DELIVERY"] = delivery
        return client.post(
            f"/webhooks/receive/{self.slug}/", data=body, content_type="application/json", **headers
        )

    def send(self, client, payload: dict, delivery: str | None = None, event: str = "push") -> int:
        """Posts one that must be accepted; answers its event id."""
        response = self.post(client, payload, delivery, event)
        assert response.status_code == 200, response.content
        return response.json()["delivery_id"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving_gunicorn() -> Iterator[str]:
    """gunicorn, as `make run` starts it, serving the test database: its base URL."""
    port = free_port()
    # The browser suite logs in often from 127.0.0.1: keep the per-address login
    # throttle out of its way (tests/security/test_lockout.py covers the throttle).
    env = {**service_env(), "PORT": str(port), "ACCESS_LOG": "false"}
    env["LOGIN_THROTTLE_RATE"] = "600/min"
    log = Path(tempfile.mkdtemp()) / "web.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "relaycore.wsgi",
        "--config",
        "python:relaycore.gunicorn_conf",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), timeout=30, message=f"gunicorn did not start: {log}")
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.fixture(scope="session")
def web_server(django_db_setup, django_db_blocker):
    """One gunicorn for the session's browser tests."""
    with serving_gunicorn() as url:
        yield url


@pytest.fixture
def fresh_web_server(django_db_setup):
    """A gunicorn of this test's own, started after the previous test's flush: nothing
    it caches in process (content type ids, say) can be from an earlier database."""
    with serving_gunicorn() as url:
        yield url


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code in (200, 503)
    except httpx.HTTPError:
        return False
