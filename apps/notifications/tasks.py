"""Celery tasks: thin wrappers that take ids and call the evaluator and the sender."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from apps.core import task_names
from apps.core.redis import get_redis
from apps.notifications import evaluate, sending

EVALUATE_LOCK = "rc:notifications:evaluate"


@shared_task(name=task_names.EVALUATE_NOTIFICATIONS)
def evaluate_notifications() -> int:
    # One pass at a time: two overlapping passes could both see the same change.
    lock = get_redis().lock(EVALUATE_LOCK, timeout=max(60, 4 * settings.NOTIFY_INTERVAL_SECONDS))
    if not lock.acquire(blocking=False):
        return 0
    try:
        return len(evaluate.evaluate())
    finally:
        lock.release()


@shared_task(name=task_names.SEND_NOTIFICATION)
def send_notification(notification_id: int) -> str:
    return sending.send_notification(notification_id)


@shared_task(name=task_names.SEND_DUE_NOTIFICATIONS)
def send_due_notifications() -> int:
    return sending.send_due()
