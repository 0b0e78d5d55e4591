"""The start-up warning about a Redis that could lose queued work."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from apps.monitoring import startup

PASSWORD = "hunter2-not-for-logs"


def test_it_warns_when_redis_may_evict_keys(redis_server, caplog):
    before = redis_server.config_get("maxmemory-policy")["maxmemory-policy"]
    appendonly = redis_server.config_get("appendonly")["appendonly"]
    redis_server.config_set("maxmemory-policy", "allkeys-lru")
    try:
        with caplog.at_level(logging.WARNING, logger="apps.monitoring.startup"):
            problems = startup.check_redis(settings.REDIS_URL)
    finally:
        redis_server.config_set("maxmemory-policy", before)

    wanted = {"setting": "maxmemory-policy", "value": "allkeys-lru"}.items()
    assert any(wanted <= problem.items() for problem in problems)
    # Whatever this server's persistence, the check reports it truthfully.
    assert any(p["setting"] == "appendonly" for p in problems) == (appendonly != "yes")
    events = [record.event for record in caplog.records]
    assert events.count("startup.redis.unsafe") == len(problems)


def test_it_carries_on_when_redis_is_down(caplog):
    with caplog.at_level(logging.WARNING, logger="apps.monitoring.startup"):
        assert startup.check_redis("redis://127.0.0.1:1/0") is None
    assert [record.event for record in caplog.records] == ["startup.redis.unchecked"]


def test_it_carries_on_when_config_is_not_allowed(redis_server, caplog):
    user = "rc-test-no-config"
    redis_server.acl_setuser(
        user, enabled=True, passwords=[f"+{PASSWORD}"], keys=["*"], commands=["+@all", "-config"]
    )
    host = redis_server.connection_pool.connection_kwargs
    url = f"redis://{user}:{PASSWORD}@{host['host']}:{host['port']}/0"
    try:
        with caplog.at_level(logging.WARNING, logger="apps.monitoring.startup"):
            assert startup.check_redis(url) is None
    finally:
        redis_server.acl_deluser(user)
    (record,) = caplog.records
    assert record.event == "startup.redis.unchecked"
    assert record.fields["reason"] == "NoPermissionError"
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize("signal_name", ["worker_ready", "beat_init"])
def test_celery_workers_and_beat_run_the_check_when_they_start(signal_name):
    from celery import signals

    signal = getattr(signals, signal_name)
    receivers = [receiver() for _, receiver in signal.receivers]
    assert any(getattr(fn, "__module__", "") == "apps.monitoring.startup" for fn in receivers)
