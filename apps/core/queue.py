"""Enqueue Celery tasks after the surrounding transaction commits.

Tasks are sent by name so that early pipeline stages need not import later ones. A
publish that fails (broker down) is logged and left to the periodic sweeper/dispatcher:
the row it concerns is already committed, so nothing is lost.
"""

from __future__ import annotations

import logging

from django.db import transaction

from apps.core.logs import log_event

logger = logging.getLogger(__name__)


def publish(task_name: str, *args, countdown: float | None = None) -> bool:
    from relaycore.celery import app

    try:
        app.send_task(task_name, args=args, countdown=countdown)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "sweeper's job now"
        log_event(logger, "queue.publish.failed", logging.WARNING, task=task_name, error=exc)
        return False
    return True


def enqueue_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    transaction.on_commit(lambda: publish(task_name, *args, countdown=countdown))
