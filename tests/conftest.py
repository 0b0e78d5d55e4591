from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings

from apps.core.redis import get_redis
from relaycore import embedded
from relaycore.celery import app as celery_app
from tests.sink import Sink

# Tasks of this test run go to a queue of its own, set before anything publishes; the
# worker subprocesses inherit it. A worker left over from another run, or another
# checkout using the same Redis, cannot take them.
os.environ["CELERY_QUEUE"] = f"relaycore-test-{uuid.uuid4().hex[:12]}"
celery_app.conf.task_default_queue = os.environ["CELERY_QUEUE"]

STARTED_REDIS = pytest.StashKey[int]()  # the port of the embedded Redis this run started

# .ci/run runs the suite twice, on PostgreSQL + Redis and then on the embedded profile.
# Tests marked `profile_independent` prove the same on both (they bring their own stack,
# or never reach the database or Redis): the second pass sets this and skips them. A
# plain `make test` or `pytest` runs everything, whatever the profile.
SKIP_PROFILE_INDEPENDENT = os.environ.get("RELAYCORE_SKIP_PROFILE_INDEPENDENT") == "1"


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not SKIP_PROFILE_INDEPENDENT:
        return
    skip = pytest.mark.skip(reason="profile-independent: run in .ci/run's first pass")
    for item in items:
        if item.get_closest_marker("profile_independent"):
            item.add_marker(skip)


def pytest_sessionstart(session: pytest.Session) -> None:
    """The embedded profile's Redis is started once for the run (before any xdist worker)
    and remembered as ours only if nothing answered on its port yet."""
    if not settings.EMBEDDED_REDIS or _is_xdist_worker(session.config):
        return
    port = settings.EMBEDDED_REDIS_PORT
    if not embedded.is_up(port):
        embedded.start(settings.VAR_DIR / "redis", port, daemonize=True)
        session.config.stash[STARTED_REDIS] = port


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the embedded Redis this run started; one that was already running stays."""
    port = session.config.stash.get(STARTED_REDIS, None)
    if port is not None:
        embedded.stop(port)


@pytest.fixture(scope="session", autouse=True)
def redis_server():
    """A real Redis: the one at REDIS_URL, or the bundled server of the embedded profile
    (started by pytest_sessionstart, stopped by pytest_sessionfinish)."""
    client = get_redis()
    client.ping()
    return client


@pytest.fixture(autouse=True)
def clean_redis(redis_server):
    """Forget idempotency keys, rate-limit windows and slots between tests. The broker's
    own keys stay: flushing them would drop the queue bindings of a running worker."""
    keys = list(redis_server.scan_iter(match="rc:*", count=1000))
    if keys:
        redis_server.delete(*keys)
    yield redis_server


@pytest.fixture
def sink():
    server = Sink()
    yield server
    server.close()
