"""A start-up warning when the Redis behind the queue could lose work.

Redis holds the task queue, idempotency keys and rate-limit windows. It must persist
with an append-only file (`appendonly yes`), or a restart drops queued tasks, and it
must never evict (`maxmemory-policy noeviction`), or a full Redis silently drops
messages and keys. Celery workers and Beat check when they start (Celery signals), web
processes when gunicorn loads the app.

The check only ever logs. Redis being down or CONFIG being disabled (as on many managed
services) is reported as "unchecked" and start-up goes on.
"""

from __future__ import annotations

import logging
import sys

import redis
from celery.signals import beat_init, worker_ready
from django.conf import settings

from apps.core.logs import log_event

logger = logging.getLogger(__name__)

# setting -> (the value it must have, what goes wrong otherwise)
REQUIRED = {
    "appendonly": ("yes", "queued tasks and idempotency keys are lost when Redis restarts"),
    "maxmemory-policy": ("noeviction", "a full Redis may silently drop queued tasks and keys"),
}


def redis_problems(client: redis.Redis) -> list[dict[str, str]]:
    """Each setting that differs from what RelayCore needs. Raises RedisError."""
    found = []
    for name, (wanted, risk) in REQUIRED.items():
        values = client.config_get(name)
        actual = _text(values.get(name, values.get(name.encode(), "")))
        if actual != wanted:
            found.append({"setting": name, "value": actual, "wanted": wanted, "risk": risk})
    return found


def check_redis(url: str | None = None) -> list[dict[str, str]] | None:
    """Log a warning per unsafe setting; answers them, or None if Redis could not say.
    Never raises: a start-up check must not stop start-up."""
    try:
        client = redis.Redis.from_url(
            url or settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            problems = redis_problems(client)
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - down, CONFIG renamed or refused, bad URL
        log_event(
            logger,
            "startup.redis.unchecked",
            logging.WARNING,
            reason=exc.__class__.__name__,
            hint="could not read appendonly/maxmemory-policy; make sure Redis persists "
            "(appendonly yes) and never evicts (maxmemory-policy noeviction)",
        )
        return None
    for problem in problems:
        log_event(logger, "startup.redis.unsafe", logging.WARNING, **problem)
    return problems


def _on_worker_ready(**_kwargs) -> None:
    check_redis()


def _on_beat_init(**_kwargs) -> None:
    check_redis()


def install() -> None:
    """Called from MonitoringConfig.ready(): hook the Celery start-up signals, and check
    now when this process is a gunicorn worker loading the app."""
    worker_ready.connect(_on_worker_ready, dispatch_uid="relaycore.redis-check.worker")
    beat_init.connect(_on_beat_init, dispatch_uid="relaycore.redis-check.beat")
    if "gunicorn.arbiter" in sys.modules:
        check_redis()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
