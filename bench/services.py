"""The production profile on this machine, for the benchmark: its own database on the
machine's PostgreSQL, its own Redis database number, gunicorn, Celery and a sink.

Nothing of anybody else's is touched: the database `relaycore_bench` is created and
dropped here, and only Redis database BENCH_REDIS_DB is flushed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import redis
from cryptography.fernet import Fernet

# BENCH_ROOT: the checkout whose services run (and whose models this process uses); by
# default this one. Another lets this bench code measure an older commit the same way
# (`git worktree add ../before <rev>`; for --only runs: a report goes under ROOT).
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent).resolve()
# BENCH_SERVICE_PYTHON: the Python the measured services (gunicorn, Celery, the stream,
# the embedded stack) run from. `make bench` points it at a venv of requirements.txt alone,
# as `make run` and the image install: the development venv's extra packages (requests,
# rich, pygments: DRF and httpx import them when present) cost each process memory a
# deployment never pays. By default the bench's own Python.
SERVICE_PYTHON = os.environ.get("BENCH_SERVICE_PYTHON") or sys.executable
SERVICE_BIN = Path(SERVICE_PYTHON).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# BENCH_DB: another name lets two checkouts benchmark on one PostgreSQL without dropping
# each other's database.
BENCH_DB = os.environ.get("BENCH_DB", "relaycore_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def database_url() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://") + f"/{BENCH_DB}"


def recreate_database() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def drop_database() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def flush_redis() -> None:
    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()


@dataclass(frozen=True)
class Tuning:
    """The server settings under test; every figure in the report is for these."""

    web_workers: int = 2
    web_threads: int = 8
    celery_workers: int = 2
    celery_threads: int = 16
    log_level: str = "WARNING"

    def env(self) -> dict[str, str]:
        return {
            "WEB_CONCURRENCY": str(self.web_workers),
            "WEB_THREADS": str(self.web_threads),
            "WORKER_CONCURRENCY": str(self.celery_threads),
            "LOG_LEVEL": self.log_level,
        }


def base_env(tuning: Tuning) -> dict[str, str]:
    """The environment of every service: production (DATABASE_URL + REDIS_URL set)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "RELAYCORE_", "DJANGO_"))
    }
    env.update(tuning.env())
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=BENCH_REDIS_URL,
        SECRET_KEY="bench-" + Fernet.generate_key().decode(),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DESTINATION_ALLOWED_NETWORKS="127.0.0.0/8",
        SECURE_SSL_REDIRECT="false",
        ACCESS_LOG="false",
        DJANGO_SETTINGS_MODULE="relaycore.settings",
        PYTHONDONTWRITEBYTECODE="1",
    )
    # As the image (Dockerfile) and make run start every process; a value set wins.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rc-bench-")) / "log")

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: stopping it stops its children
            )

    def stop(self, timeout: float = 20.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited:\n{self.tail()}")


def wait_for(predicate, timeout: float, what: str, service: Service | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service is not None:
            service.check_alive()
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(
        f"{what} not ready after {timeout} s" + (f":\n{service.tail()}" if service else "")
    )


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code < 500
    except httpx.HTTPError:
        return False


class Stack:
    """Starts and stops the services; remembers their ports and logs."""

    def __init__(self, tuning: Tuning) -> None:
        self.tuning = tuning
        self.env = base_env(tuning)
        self.web_port = free_port()
        self.sink_port = free_port()
        self.stream_port = free_port()
        # The web process offers listeners the stream (started by the scenarios that use it).
        self.env["LISTEN_STREAM_URL"] = self.stream_url
        self.web: Service | None = None
        self.stream: Service | None = None
        self.sink: Service | None = None
        self.workers: list[Service] = []
        self.beat: Service | None = None
        self.started: list[Service] = []

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def stream_url(self) -> str:
        return f"http://127.0.0.1:{self.stream_port}"

    @property
    def sink_url(self) -> str:
        return f"http://127.0.0.1:{self.sink_port}"

    def migrate(self) -> None:
        subprocess.run(
            [SERVICE_PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )

    def start_sink(self) -> None:
        command = [sys.executable, "-m", "bench.sink", "--port", str(self.sink_port)]
        self.sink = self._start(Service("sink", command, self.env))
        wait_for(lambda: answers(f"{self.sink_url}/stats"), 10, "the sink", self.sink)

    def start_web(self, settings_module: str = "relaycore.settings", **extra: str) -> None:
        env = {
            **self.env,
            "PORT": str(self.web_port),
            "DJANGO_SETTINGS_MODULE": settings_module,
            **extra,
        }
        command = [
            str(SERVICE_BIN / "gunicorn"),
            "relaycore.wsgi",
            "--config",
            "python:relaycore.gunicorn_conf",
        ]
        self.web = self._start(Service("gunicorn", command, env))
        wait_for(lambda: answers(f"{self.web_url}/healthz"), 30, "gunicorn", self.web)

    def start_stream(self) -> None:
        """The stream process of `relaycore listen` (relaycore/stream.py)."""
        env = {**self.env, "STREAM_PORT": str(self.stream_port)}
        command = [SERVICE_PYTHON, "-m", "relaycore.stream"]
        self.stream = self._start(Service("stream", command, env))
        wait_for(lambda: answers(f"{self.stream_url}/healthz"), 30, "the stream", self.stream)

    def stop_stream(self) -> None:
        if self.stream:
            self.stream.stop()
            self.stream = None

    def stop_web(self) -> None:
        if self.web:
            self.web.stop()
            self.web = None

    def start_workers(self) -> None:
        celery = [SERVICE_PYTHON, "-m", "celery", "-A", "relaycore"]
        for n in range(self.tuning.celery_workers):
            command = [*celery, "worker", "-l", "warning", "-n", f"bench{n}@%h"]
            self.workers.append(self._start(Service(f"worker {n}", command, self.env)))
        self.beat = self._start(Service("beat", [*celery, "beat", "-l", "warning"], self.env))

    def _start(self, service: Service) -> Service:
        service.start()
        self.started.append(service)
        return service

    def remove_logs(self) -> None:
        """After a run that went well; after a failure the logs stay for reading."""
        for service in self.started:
            shutil.rmtree(service.log.parent, ignore_errors=True)

    def stop_workers(self) -> None:
        for service in [*self.workers, self.beat]:
            if service:
                service.stop()
        self.workers, self.beat = [], None

    def stop_all(self) -> None:
        self.stop_workers()
        self.stop_stream()
        self.stop_web()
        if self.sink:
            self.sink.stop()
            self.sink = None

    def check_alive(self) -> None:
        for service in [self.web, self.stream, self.sink, *self.workers, self.beat]:
            if service:
                service.check_alive()
