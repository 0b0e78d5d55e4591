"""Start-up configuration: bad values and missing production secrets fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from relaycore.env import env_bool, env_float, env_int, env_networks

ROOT = Path(__file__).resolve().parent.parent


STARTUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'relaycore.settings'; django.setup()"
)


def start_django(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY"}}
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            STARTUP,
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = start_django(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_malformed_encryption_key_refuses_to_start():
    result = start_django(
        DATABASE_URL="postgres://u@127.0.0.1:5432/x", SECRET_KEY="s", FIELD_ENCRYPTION_KEY="short"
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be" in result.stderr


@pytest.mark.parametrize(
    ("reader", "value"),
    [(env_bool, "perhaps"), (env_int, "six"), (env_float, "fast"), (env_networks, "10.0.0.0/33")],
)
def test_unparseable_values_raise_improperly_configured(monkeypatch, reader, value):
    monkeypatch.setenv("RELAY_TEST_VALUE", value)
    args = ("RELAY_TEST_VALUE",) if reader is env_networks else ("RELAY_TEST_VALUE", 1)
    with pytest.raises(ImproperlyConfigured, match="RELAY_TEST_VALUE"):
        reader(*args)


def test_numbers_below_their_minimum_are_refused(monkeypatch):
    monkeypatch.setenv("DELIVERY_MAX_ATTEMPTS", "0")
    with pytest.raises(ImproperlyConfigured, match=">= 1"):
        env_int("DELIVERY_MAX_ATTEMPTS", 6, minimum=1)


def test_the_embedded_database_syncs_every_commit_to_disk(tmp_path):
    """An event answered 200 must survive a power cut, not only a crash of the process:
    a real embedded-profile connection (whatever profile this run uses) reports WAL
    with synchronous=FULL (2)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(RELAYCORE_VAR_DIR=str(tmp_path), RELAYCORE_ENV_FILE="")
    probe = (
        STARTUP + "; from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA synchronous').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["wal", "2"]


def test_the_embedded_database_keeps_its_connection_between_requests(tmp_path):
    """Opening a SQLite connection (pragmas, the schema parsed) cost about a millisecond
    of each ingest batch when it was closed after every request: in the web process
    (gunicorn's settings read first) a real embedded-profile connection outlives the
    request that opened it."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(RELAYCORE_VAR_DIR=str(tmp_path), RELAYCORE_ENV_FILE="")
    probe = (
        "import relaycore.gunicorn_conf; " + STARTUP + "; from django.db import connection; "
        "from django.core.signals import request_finished, request_started; "
        "request_started.send(None); connection.ensure_connection(); "
        "first = connection.connection; request_finished.send(None); "
        "request_started.send(None); print(connection.connection is first)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True"]
