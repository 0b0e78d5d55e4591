"""Fault tests: the real gunicorn and Celery worker, on a PostgreSQL and a Redis that
belong to this test run alone, so a test may kill, stop and restart them.

Run with `make test-faults` (`pytest tests/faults`). A plain `pytest` run leaves this
folder out: these tests repoint the run's database at their own cluster, which the
rest of the suite must not share (RELAYCORE_FAULT_TESTS=1 includes them anyway).

This process reads and writes the same database through the ORM (configuration in,
counts out); tests.e2e.conftest's service_env() hands the same database, Redis and
keys to the subprocesses.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import dj_database_url
import pytest
import redis
from django.conf import settings
from django.db import connections

from tests.e2e.conftest import ROOT, Worker, service_env
from tests.factories import make_destination, make_route, make_source
from tests.faults.checks import SECRET
from tests.faults.servers import Gunicorn, PostgresCluster, RedisServer

HERE = Path(__file__).resolve().parent
# Short enough for a suite of a few minutes; max attempts 5 = a first try and 4 retries.
FAULT_ENV = {
    "DELIVERY_MAX_ATTEMPTS": "5",
    "DELIVERY_BACKOFF_BASE_SECONDS": "0.05",
    "DELIVERY_BACKOFF_MAX_SECONDS": "5",
    "DESTINATION_BREAKER_THRESHOLD": "0",
}
MAX_ATTEMPTS = 5


def _asked_for(config: pytest.Config) -> bool:
    base = config.invocation_params.dir
    for arg in config.args:
        path = (base / arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return os.environ.get("RELAYCORE_FAULT_TESTS") == "1"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    return None if _asked_for(config) else True


# -- The servers this run owns ----------------------------------------------------------


@pytest.fixture(scope="session")
def fault_dir():
    path = Path(tempfile.mkdtemp(prefix="rc-faults-"))
    path.chmod(0o755)  # PostgreSQL runs as another user and must reach its own folder
    yield path
    if os.environ.get("RELAYCORE_FAULTS_KEEP") == "1":
        print(f"\nfault test logs kept in {path}")  # web.log, postgres/, redis/
    else:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def dedicated_redis(fault_dir):
    server = RedisServer(fault_dir / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(dedicated_redis):
    """Overrides the suite's Redis: this process, its test client and the services all
    use the dedicated server (tests/conftest.py's clean_redis then cleans this one)."""
    from relaycore.celery import app

    saved = settings.REDIS_URL, settings.CELERY_BROKER_URL, app.conf.broker_url
    settings.REDIS_URL = settings.CELERY_BROKER_URL = dedicated_redis.url
    app.conf.broker_url = dedicated_redis.url
    client = redis.Redis.from_url(dedicated_redis.url)
    yield client
    settings.REDIS_URL, settings.CELERY_BROKER_URL, app.conf.broker_url = saved


@pytest.fixture(scope="session")
def postgres(fault_dir):
    cluster = PostgresCluster(fault_dir / "postgres")
    cluster.init()
    cluster.start()
    cluster.create_database()
    yield cluster
    connections.close_all()
    cluster.stop(immediate=False)


def point_default_database_at(url: str) -> None:
    """pytest-django's documented way to test against an existing database: change the
    default connection's settings in place (Django's connection handler shares them)."""
    db = settings.DATABASES["default"]
    parsed = dj_database_url.parse(url)
    for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT"):
        db[key] = parsed[key]
    db.update(OPTIONS={}, CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=True)
    connections["default"].close()
    with contextlib.suppress(AttributeError):  # never opened in this thread
        del connections["default"]


@pytest.fixture(scope="session")
def django_db_setup(postgres, redis_server, django_db_blocker):
    """The dedicated cluster is the test database: migrate it as `make run` would."""
    point_default_database_at(postgres.url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=service_env(),
        check=True,
    )


class FaultWorker(Worker):
    def env(self) -> dict[str, str]:
        return {**super().env(), **FAULT_ENV}

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def revive(self) -> None:
        """Start it again if it exited, as a process supervisor would."""
        if not self.running:
            self.log.write_bytes(self.log.read_bytes().replace(b"ready.", b"(was ready)"))
            self.start()


@pytest.fixture(scope="session")
def fault_worker(django_db_setup, django_db_blocker):
    worker = FaultWorker()
    with django_db_blocker.unblock():
        worker.start()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def fault_web(django_db_setup, fault_dir):
    web = Gunicorn(fault_dir / "web.log", FAULT_ENV)
    web.start()
    yield web
    web.stop()


@pytest.fixture
def gateway(fault_web, fault_worker, dedicated_redis, postgres, transactional_db):
    """Everything up (a test before may have stopped something), a clean database."""
    _everything_up(fault_web, fault_worker, dedicated_redis, postgres)
    yield fault_web
    # Before transactional_db empties the tables: servers back, and no connection of
    # this process left over from before an outage.
    _everything_up(fault_web, fault_worker, dedicated_redis, postgres)
    connections.close_all()


def _everything_up(web, worker, redis_server, postgres) -> None:
    if not postgres.running:
        postgres.start()
    if not redis_server.running:
        redis_server.start()
    worker.revive()
    if not web.running:
        web.start()


@pytest.fixture
def github_source(gateway):
    # A new slug each test: web processes cache sources by slug for a moment
    # (SOURCE_CACHE_SECONDS), and the previous test's source is gone.
    slug = f"faults-{uuid.uuid4().hex[:8]}"
    return make_source(slug=slug, verification_scheme="github", secret=SECRET)


def route_to(source, url: str, **destination_fields):
    """A route from `source` to a new destination at `url` (passthrough)."""
    destination = make_destination(url, **destination_fields)
    return make_route(source, destination)
