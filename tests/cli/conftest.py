"""A running gateway (gunicorn, restartable on its port), a local app (tests/sink.py)
and `relaycore listen` itself, run from cli/ as a developer runs it: a subprocess."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model

from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from tests.e2e.conftest import ROOT, _answers, die_with_parent, free_port, service_env, wait_until
from tests.factories import github_signature, make_source

SECRET = "listen-secret"
_numbers = itertools.count(1)


class Gateway:
    """The gateway's web process and its stream process as `make run` starts them, on
    ports that stay theirs across restarts (the listener reconnects to the same URLs).
    `streaming=False`: the web process alone, which then offers no stream."""

    def __init__(self, streaming: bool = True) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stream_port = free_port() if streaming else None
        self.stream_url = f"http://127.0.0.1:{self.stream_port}" if streaming else ""
        self.log = Path(tempfile.mkdtemp()) / "web.log"
        self.stream_log = self.log.with_name("stream.log")
        self.proc: subprocess.Popen | None = None
        self.stream: subprocess.Popen | None = None

    def _spawn(self, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        with log.open("ab") as out:
            return subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
                start_new_session=True,  # its own group: a kill takes its workers too
            )

    def start(self) -> None:
        env = {**service_env(), "PORT": str(self.port), "ACCESS_LOG": "false"}
        env.update(WEB_CONCURRENCY="1", WEB_THREADS="4", LISTEN_STREAM_URL=self.stream_url)
        command = [str(Path(sys.executable).parent / "gunicorn"), "relaycore.wsgi"]
        command += ["--config", "python:relaycore.gunicorn_conf"]
        self.proc = self._spawn(command, env, self.log)
        if self.stream_port:
            self.start_stream(env)
        wait_until(lambda: _answers(self.url), timeout=30, message=f"no gateway: {self.log}")

    def start_stream(self, env: dict | None = None) -> None:
        env = env or {**service_env(), "LISTEN_STREAM_URL": self.stream_url}
        env = {**env, "STREAM_PORT": str(self.stream_port), "STREAM_KEEPALIVE_SECONDS": "2"}
        command = [sys.executable, "-m", "relaycore.stream"]
        self.stream = self._spawn(command, env, self.stream_log)
        wait_until(
            lambda: _answers(self.stream_url),
            timeout=30,
            message=f"no stream: {self.stream_log}",
        )

    def subscribers(self) -> int:
        return httpx.get(f"{self.stream_url}/healthz", timeout=5).json()["subscribers"]

    def kill(self) -> None:
        """SIGKILL to the web master and its workers, and to the stream process: the
        connections drop at once, as when the machine dies."""
        for proc in (self.proc, self.stream):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)

    def stop(self) -> None:
        for proc in (self.proc, self.stream):
            if proc and proc.poll() is None:
                proc.terminate()
                proc.wait(20)

    def send(self, slug: str, event_type: str = "push", *, query: str = "", sign: bool = True):
        """A signed GitHub-style webhook with a unique body; answers the JSON reply."""
        body = json.dumps({"n": next(_numbers), "ref": "refs/heads/main"}).encode()
        headers = {"Content-Type": "application/json", "X-GitHub-Event": event_type}
        headers["X-Hub-Signature-256"] = github_signature(SECRET if sign else "wrong", body)
        url = f"{self.url}/webhooks/receive/{slug}/" + (f"?{query}" if query else "")
        response = httpx.post(url, content=body, headers=headers, timeout=10)
        return response, body


class Listener:
    def __init__(self, gateway: Gateway, token: str, slug: str, forward: str, *extra: str):
        self.out = Path(tempfile.mkdtemp()) / "listen.out"
        self.err = self.out.with_name("listen.err")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "cli"), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "relaycore_cli", "listen", "--api", gateway.url]
        command += ["--token", token, "--source", slug, "--forward", forward, *extra]
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.proc = subprocess.Popen(
                command, env=env, stdout=out, stderr=err, preexec_fn=die_with_parent
            )

    @property
    def lines(self) -> list[str]:
        return self.out.read_text().splitlines()

    def wait_for_line(self, text: str, timeout: float = 15) -> str:
        return wait_until(
            lambda: next((line for line in self.lines if text in line), None),
            timeout=timeout,
            message=f"no line with {text!r}: {self.lines} {self.err.read_text()}",
        )

    def interrupt(self) -> int:
        """Ctrl-C."""
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(10)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture(scope="package")
def gateway_process(django_db_setup, django_db_blocker):
    """One gateway for tests/cli: each test has a source of its own, an emptied database
    (`gateway`) and no feed left open (`listeners`); a test that kills it restarts it."""
    gateway = Gateway()
    with django_db_blocker.unblock():
        gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def gateway(gateway_process, django_db_reset_sequences):  # see tests/e2e worker
    if gateway_process.proc.poll() is not None:
        gateway_process.start()
    elif gateway_process.stream and gateway_process.stream.poll() is not None:
        gateway_process.start_stream()
    return gateway_process


@pytest.fixture
def github(gateway):
    """A GitHub source with a slug of its own (gunicorn caches sources by slug)."""
    number = next(_numbers)
    return make_source(
        name=f"GitHub {number}",
        slug=f"github-{number}",
        verification_scheme="github",
        secret=SECRET,
    )


@pytest.fixture
def viewer_token(gateway) -> str:
    viewer = get_user_model().objects.create_user(f"viewer-{next(_numbers)}")
    set_role(viewer, Role.VIEWER)
    return issue_token(viewer, name="laptop").key


@pytest.fixture
def listeners(gateway):
    started: list[Listener] = []

    def start(*args) -> Listener:
        listener = Listener(*args)
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.close()
    if gateway.stream and gateway.stream.poll() is None:
        # Ids start again at 1 in the next test: no feed may outlive this one's.
        wait_until(lambda: gateway.subscribers() == 0, timeout=10, message="streams left open")


def settle() -> None:
    """Long enough for a poll to come and go: proof that nothing more arrives."""
    time.sleep(2.5)
