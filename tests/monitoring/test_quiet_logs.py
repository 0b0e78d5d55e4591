"""Routine lines stay out of INFO: Celery's per-task lines, Beat's ticks, Django's copy
of a webhook 4xx and the axes banner. Real events still pass."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.app.trace import LOG_RECEIVED, LOG_SUCCESS

ROOT = Path(__file__).resolve().parents[2]
TASK = {"name": "apps.delivery.tasks.dispatch_due", "id": "1", "runtime": 0.01, "return_value": 0}


def messages(caplog, logger: str) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == logger]


@pytest.mark.django_db
def test_a_refused_webhook_is_one_info_line_and_no_django_warning(client, caplog):
    caplog.set_level(logging.INFO)

    response = client.post("/webhooks/receive/nosuch/", {}, content_type="application/json")

    assert response.status_code == 404
    assert messages(caplog, "django.request") == []
    assert messages(caplog, "apps.ingestion.views") == [
        (logging.INFO, "ingest.refused source=nosuch status=404 code=unknown_source")
    ]


@pytest.mark.django_db
def test_a_4xx_outside_the_webhook_path_is_still_djangos_warning(client, caplog):
    caplog.set_level(logging.INFO)

    assert client.get("/api/sources/").status_code in (401, 403)

    assert [level for level, _ in messages(caplog, "django.request")] == [logging.WARNING]


def log_routine_lines() -> None:
    logging.getLogger("celery.worker.strategy").info(LOG_RECEIVED, TASK)
    logging.getLogger("celery.app.trace").info(LOG_SUCCESS, TASK)
    logging.getLogger("celery.beat").info("Scheduler: Sending due task %s (%s)", "tick", "t")


def test_celerys_routine_lines_are_left_out_at_info(caplog, settings):
    caplog.set_level(logging.DEBUG)

    log_routine_lines()
    logging.getLogger("celery.beat").info("beat: Starting...")
    logging.getLogger("celery.app.trace").error("Task %(name)s[%(id)s] raised", TASK)

    shown = [r.getMessage() for r in caplog.records if r.name.startswith("celery.")]
    assert shown == ["beat: Starting...", "Task apps.delivery.tasks.dispatch_due[1] raised"]


def test_celerys_routine_lines_are_kept_at_log_level_debug(caplog, settings):
    settings.LOG_LEVEL = "DEBUG"
    caplog.set_level(logging.DEBUG)

    log_routine_lines()

    assert len([r for r in caplog.records if r.name.startswith("celery.")]) == 3


def test_a_manage_py_command_prints_no_axes_banner():
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "AXES" not in done.stderr
    assert done.stderr == ""
