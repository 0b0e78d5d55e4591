"""LOG_FORMAT=json: one JSON object per line, stable event names, no secret values."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.core.logs import log_event
from apps.monitoring.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_do-not-log-me"


@pytest.fixture
def json_logger():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json-logging")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_it_writes_one_object_per_line_with_the_event_name_and_fields(json_logger):
    logger, stream = json_logger
    log_event(logger, "delivery.attempt.failed", logging.WARNING, outcome_id=3, status=502)
    log_event(logger, "event.routed", event_id=7, routes=2)

    first, second = lines(stream)
    assert first["event"] == "delivery.attempt.failed"
    assert first["level"] == "WARNING"
    assert first["logger"] == "tests.json-logging"
    assert first["fields"] == {"outcome_id": 3, "status": 502}
    assert first["message"] == "delivery.attempt.failed outcome_id=3 status=502"
    assert first["time"].endswith("Z")
    assert second["event"] == "event.routed"


def test_it_never_writes_secret_values(json_logger):
    logger, stream = json_logger
    log_event(
        logger,
        "destination.saved",
        destination_id=4,
        auth_header=f"Authorization: Bearer {SECRET}",
        signing_secret=SECRET,
        headers={"Authorization": f"Basic {SECRET}", "X-Request-Id": "abc"},
    )
    logger.warning("retrying with Authorization: Bearer %s and token=%s", SECRET, SECRET)
    logger.info('sent {"api_key": "%s"}', SECRET)

    assert SECRET not in stream.getvalue()
    saved, retry, sent = lines(stream)
    assert saved["event"] == "destination.saved"
    assert saved["fields"]["signing_secret"] == "[redacted]"
    assert saved["fields"]["headers"] == {"Authorization": "[redacted]", "X-Request-Id": "abc"}
    assert saved["fields"]["destination_id"] == 4
    assert retry["event"] is None
    assert "[redacted]" in retry["message"]


def test_it_keeps_the_traceback_of_an_exception(json_logger):
    logger, stream = json_logger
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.exception("task failed")
    (line,) = lines(stream)
    assert line["message"] == "task failed"
    assert "RuntimeError: boom" in line["exception"]


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "relaycore.settings", **env}
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_log_format_json_turns_every_line_of_the_process_into_json():
    code = (
        "import logging\n"
        "from apps.core.logs import log_event\n"
        "log_event(logging.getLogger('apps.delivery.pipeline'), 'event.routed', event_id=1)\n"
    )
    done = run_django(code, LOG_FORMAT="json", LOG_LEVEL="INFO")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert {"event": "event.routed", "fields": {"event_id": 1}}.items() <= records[-1].items()


def test_an_unknown_log_format_stops_start_up():
    done = run_django("", LOG_FORMAT="xml")
    assert done.returncode != 0
    assert "LOG_FORMAT must be plain or json" in done.stderr
